/** The public surface of core: what the player, server, editor and CLI import. */
export * from './bytes.ts';
export * from './dsse.ts';
export * from './ed25519.ts';
export * from './hash.ts';
export * from './manifest-schema.ts';
export * from './media.ts';
export * from './messages.ts';
export * from './time-zone.ts';
export * from './trust.ts';
export * from './validate.ts';
export * from './verify.ts';
export type * from './verify-errors.ts';
export * from './hls.ts';
export * from './sniff.ts';
export * from './open-envelope.ts';
export * from './schedule/index.ts';
export * from './sign/index.ts';
