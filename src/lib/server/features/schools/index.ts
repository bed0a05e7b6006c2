/** Schools in this deployment: public listings, set-up and settings. */
export * from './listing';
