// Area scoping: an officer answers for their area path and everything below it; null means the whole country.

export function isWithinArea(areaPath: string, scopePath: string | null): boolean {
  return scopePath === null || areaPath === scopePath || areaPath.startsWith(`${scopePath}/`);
}
