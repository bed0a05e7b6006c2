/** Accounts and access: parent sign-in by code, staff sign-in with password and authenticator, sessions, who may see which child, channel identities (SMS, Telegram), a parent's language and their data export, and messages to one guardian. */
export * from './access';
export * from './channel-identity';
export * from './guardian-messages';
export * from './guardian-sign-in';
export * from './identifiers';
export * from './language';
export * from './my-data';
export * from './sessions';
export * from './staff';
export * from './telegram-linking';
export * from './parent-account';
export * from './notifications';
