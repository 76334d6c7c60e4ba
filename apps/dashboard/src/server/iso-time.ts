/** Epoch ms → ISO-8601, keeping null. API and console views carry times as ISO strings. */
export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
