// The package's entry for browsers and bundlers: the wasm-bindgen module
// (call `init()` first) and the `…Async` verifications over it.
import * as wasm from "./passerelle.js";
import { asyncVerifiers } from "./fetching.js";

export * from "./passerelle.js";
export { default } from "./passerelle.js";
export const { verifyCredentialAsync, verifyPresentationAsync } = asyncVerifiers(wasm);
