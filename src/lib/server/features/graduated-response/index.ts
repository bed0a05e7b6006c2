/** The graduated response: the school's escalation policy, monitoring points, letters, meetings, plans of support and the pupil's attendance record. */
export * from './policy';
export * from './monitoring';
export * from './letters';
export * from './record';
export * from './meetings';
export * from './plans';
export * from './letter-pdf';
