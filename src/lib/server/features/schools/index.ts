/** School set-up and settings. */
export { setTimeLostPercents, timeLostPercents } from './time-lost';
