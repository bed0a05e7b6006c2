/** Attendance figures: a parent's children and what they see about each, a child's attendance detail, and the school-wide summary staff and campaigns use. */
export * from './child-detail';
export * from './children';
export * from './school-summary';
export * from './pupil-figures';
