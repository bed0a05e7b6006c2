/** The local authority's attendance work: the view across schools, referrals with their evidence, statutory notifications, notices to improve and penalty notices, and who the LA officer may see by name. */
export * from './access';
export * from './evidence';
export * from './interventions';
export * from './letter';
export * from './overview';
export * from './referrals';
export * from './statutory';
