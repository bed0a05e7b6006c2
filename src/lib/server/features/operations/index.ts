/** What an operator needs: health for load balancers and monitoring, and the messages that could not be delivered. */
export * from './health';
export * from './failed-messages';
