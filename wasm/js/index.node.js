// The package's entry for node (CommonJS, like wasm-bindgen's node module):
// the module, loaded synchronously, and the `…Async` verifications over it.
// Written so that node's ES module loader sees every export by name.
const wasm = require("./passerelle.js");
const { asyncVerifiers } = require("./fetching.js");

const { verifyCredentialAsync, verifyPresentationAsync } = asyncVerifiers(wasm);
module.exports = { ...require("./passerelle.js"), verifyCredentialAsync, verifyPresentationAsync };
