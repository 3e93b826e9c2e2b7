// For a Node process that is not the test itself (the production server in server.mjs, a demo
// store): `SHOPIFY_ADMIN_EMULATOR_URL=http://127.0.0.1:PORT node --import <this file> server.mjs`.
// It wraps the global fetch before @shopify/shopify-api's runtime adapter captures it, so every
// Admin API call of that process goes to the emulator. Without the variable it does nothing.
import { redirectingFetch } from "./fetch-redirect.mjs";

const target = process.env.SHOPIFY_ADMIN_EMULATOR_URL;
if (target) globalThis.fetch = redirectingFetch(target, globalThis.fetch);
