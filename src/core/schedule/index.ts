export * from './engine.ts';
export * from './feasibility.ts';
export * from './holidays-bj.ts';
export * from './lint.ts';
export * from './local-time.ts';
export * from './planner.ts';
export * from './trusted-clock.ts';
export * from './stream.ts';
