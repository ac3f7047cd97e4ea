export * from './backoff.ts';
export { downloadMedia, type DownloadContext, type DownloadResult } from './download.ts';
export * from './engine.ts';
export * from './plan.ts';
export * from './ports.ts';
export * from './state.ts';
