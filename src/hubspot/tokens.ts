/**
 * Where the HubSpot client gets a portal's access token. Implemented by src/portals/token-manager.ts (static token in
 * single-portal mode, stored and refreshed OAuth tokens otherwise).
 */
export interface TokenProvider {
  /** A token valid right now; refreshes first when it is about to expire. Throws PortalNotConnectedError. */
  getAccessToken(portalId: number): Promise<string>;
  /**
   * HubSpot answered 401 with `rejectedToken`: refresh (once, shared by concurrent callers) unless that token was
   * already replaced. The client then retries the call once with whatever getAccessToken returns.
   */
  onUnauthorized?(portalId: number, rejectedToken?: string): Promise<void>;
}
