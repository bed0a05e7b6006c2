/** Every Day Counts campaigns: templates, audiences, per-language versions, preview, sending (now or later) and results. */
export * from './campaigns';
/** Personal days-missed messages with a randomised hold-out, and their results (for the school and the LA). */
export * from './days-missed';
