/** Absence reports: what a parent reports (web form, JSON API, bot), how staff see and acknowledge them, daily check-ins for open-ended reports. */
export * from './report-form';
export * from './report-view';
export * from './report-pages';
export { fieldError, type AbsenceChannel, type AbsenceStatus, type FieldError, type SubmitAbsenceInput, type SubmitResult, type SubmittedReport } from './report-input';
export { submitAbsenceReport } from './submit';
export { acknowledgeAbsenceReport, amendAbsenceReport, withdrawAbsenceReport, type AmendAbsenceInput, type ChangeResult } from './changes';
export { reportsForSchoolDay, type BoardReport } from './board';
export { guardianReportByReference, guardianReportStates, guardianReports, latestOpenEndedReport, type GuardianReport } from './guardian-reports';
export { answerCheckIn, sendDueCheckIns, type CheckInAnswer } from './check-ins';
