/**
 * A parent turning web push notifications on or off for a browser. The subscription rules and
 * VAPID keys belong to the web push adapter; the account is where a parent manages them.
 */
export { removePushSubscription, subscribeToPush, vapidKeys } from '../../providers/webpush';
