import { execFile } from "node:child_process";

/**
 * Whether the Pi's own clock is synchronised (the Pi has no RTC; after boot its time can be wrong
 * until NTP syncs). Asks `timedatectl show -p NTPSynchronized --value`; caches the answer for a minute.
 */
export type NtpStatus = "synchronized" | "unsynchronized" | "unknown";

export function createNtpCheck(mode: "timedatectl" | "none"): () => Promise<NtpStatus> {
  if (mode === "none") return async () => "unknown";
  let cached: { at: number; status: NtpStatus } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < 60_000) return cached.status;
    const status = await new Promise<NtpStatus>((resolve) =>
      execFile(
        "timedatectl",
        ["show", "-p", "NTPSynchronized", "--value"],
        { timeout: 3000 },
        (error, stdout) => {
          if (error) return resolve("unknown");
          const answer = stdout.trim();
          resolve(answer === "yes" ? "synchronized" : answer === "no" ? "unsynchronized" : "unknown");
        },
      ),
    );
    cached = { at: Date.now(), status };
    return status;
  };
}
