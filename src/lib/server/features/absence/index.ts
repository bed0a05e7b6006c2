/** Absence reports: what a parent reports (web form, JSON API, bot), how staff see and acknowledge them, daily check-ins for open-ended reports. */
export * from './report-form';
export * from './report-view';
export * from './reports';
export * from './report-pages';
