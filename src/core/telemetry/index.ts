export * from './heartbeat.ts';
export * from './loop.ts';
export * from './queue.ts';
