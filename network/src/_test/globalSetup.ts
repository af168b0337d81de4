// Placeholder replaced by the dev-chain harness in a moment (foundation issue).
export default async function setup(): Promise<void> {}
