/** The school day: the staff board of today's reports and unexplained absences, and first day contact. */
export * from './school-day';
export { loadSchoolCalendar } from '../../platform/school-calendar';
