// The portal is a client-side app over the gateway's APIs; nothing renders on a server.
export const ssr = false;
export const prerender = false;
