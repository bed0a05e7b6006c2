/** Every Day Counts campaigns: templates, audiences, per-language versions, preview, sending (now or later) and results. */
export * from './campaigns';
