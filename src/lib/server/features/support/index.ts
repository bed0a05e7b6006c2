/** Support signposting: the local authority's services directory, its import and export, and matching a family's words to services. */
export * from './directory';
