/** Leave of absence: requests and the rules' feedback, the headteacher's decision and letter, and the evidence files (checked, stripped of metadata, encrypted, retained for a set time). */
export * from './evidence-response';
export * from './evidence-retention';
export * from './evidence';
export * from './heic-metadata';
export * from './letter';
export * from './requests';
