/** Shared by the server page (first render) and the client dashboard (refreshes). */
export const EVENTS_PAGE_SIZE = 100;
export const HOURLY_WINDOW_HOURS = 24;
