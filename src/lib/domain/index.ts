/** Pure domain rules (no I/O). Import the modules directly or through this barrel. */
export * from './codes';
export * from './calendar';
export * from './attendance';
