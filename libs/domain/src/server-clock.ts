/**
 * Browsers' clocks drift; deadlines are the server's. The offset is what to add to the
 * local clock to read server time, taking the server's stamp as the midpoint of the round trip.
 */
export function clockOffsetMs(serverTimeMs: number, sentAtLocalMs: number, receivedAtLocalMs: number): number {
  const midpoint = sentAtLocalMs + (receivedAtLocalMs - sentAtLocalMs) / 2;
  return serverTimeMs - midpoint;
}
