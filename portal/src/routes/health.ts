/** What the gateway's `/health` answers (gateway/src/server/createGatewayServer.ts). */
export type Health = {
  status: "ok";
  mode: "normal" | "service" | "emergency";
  chain: { chainId: number; blockNumber: string | null; rpc: "up" | "down" };
  deployment: { chainId: number; deployedAtBlock: string; contracts: Record<string, string> };
};

export async function loadHealth(fetcher: typeof fetch): Promise<Health> {
  const response = await fetcher("/health", { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as Health;
}
