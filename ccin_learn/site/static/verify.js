/* The book's "Check a credential" page (book/credentials/verify.md).
 *
 * Checks an Open Badges 3.0 credential in its VC-JWT form in the reader's browser, with no
 * server of the kit's: the issuer's key comes from the profile named by the JWT's `kid`, the
 * signature is checked with WebCrypto (RS256: RSASSA-PKCS1-v1_5 with SHA-256; EdDSA: Ed25519),
 * and the revocation bit is read from the issuer's W3C Bitstring Status List credential, itself
 * signed with a key of the same profile.
 *
 * A credential carries text its maker chose, so everything from it is written with
 * textContent, never as HTML. The verdict is "Genuine" only when every check passed.
 */
(function () {
  "use strict";

  const ALGORITHMS = {
    RS256: { importAs: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verifyAs: { name: "RSASSA-PKCS1-v1_5" } },
    EdDSA: { importAs: { name: "Ed25519" }, verifyAs: { name: "Ed25519" } },
  };
  // Multicodec prefix of an Ed25519 public key in a Multikey's publicKeyMultibase.
  const ED25519_PUB = [0xed, 0x01];
  const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  // W3C Bitstring Status List v1.0: a list holds at least 131,072 entries (16 KB).
  const MIN_LIST_BITS = 131072;

  /* A check that could not pass: `kind` picks the verdict, `message` says why. */
  class Stop extends Error {
    constructor(kind, message) {
      super(message);
      this.kind = kind;
    }
  }
  const notGenuine = (why) => new Stop("bad", why);
  const couldNotCheck = (why) => new Stop("unchecked", "Could not check: " + why);

  function base64urlBytes(text, what) {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) throw notGenuine(`Not genuine: the ${what} is not in the expected encoding.`);
    const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    let binary;
    try {
      binary = atob(padded);
    } catch (error) {
      throw notGenuine(`Not genuine: the ${what} is not in the expected encoding.`);
    }
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }

  function base58Bytes(text) {
    let value = 0n;
    for (const char of text) {
      const digit = BASE58.indexOf(char);
      if (digit < 0) throw couldNotCheck("the issuer's key is not written in the expected encoding.");
      value = value * 58n + BigInt(digit);
    }
    const bytes = [];
    while (value > 0n) {
      bytes.unshift(Number(value % 256n));
      value /= 256n;
    }
    for (const char of text) {
      if (char !== "1") break;
      bytes.unshift(0);
    }
    return Uint8Array.from(bytes);
  }

  function jsonPart(text, what) {
    try {
      const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64urlBytes(text, what)));
      if (value && typeof value === "object" && !Array.isArray(value)) return value;
    } catch (error) {
      if (error instanceof Stop) throw error;
    }
    throw notGenuine(`Not genuine: the ${what} could not be read.`);
  }

  /* The three parts of a compact JWS, decoded; refuses a JSON credential or anything else. */
  function splitJwt(text, what) {
    const token = text.trim();
    if (token.startsWith("{")) throw new Stop("json", "");
    const parts = token.split(".");
    if (parts.length !== 3 || parts[0] === "" || parts[1] === "") {
      throw couldNotCheck(`this is not ${what} in the .jwt form (three parts separated by dots).`);
    }
    return {
      header: jsonPart(parts[0], `${what}'s header`),
      payload: jsonPart(parts[1], `${what}'s content`),
      signed: new TextEncoder().encode(parts[0] + "." + parts[1]),
      signature: parts[2],
    };
  }

  function checkAlgorithm(alg) {
    if (typeof alg !== "string" || alg.toLowerCase() === "none") {
      throw notGenuine("Not genuine: the credential is not signed (its signing method is \u201cnone\u201d).");
    }
    if (!Object.hasOwn(ALGORITHMS, alg)) {
      throw couldNotCheck(`the credential is signed with \u201c${alg}\u201d; this page accepts only RS256 and EdDSA.`);
    }
  }

  function isWebAddress(value) {
    try {
      const url = new URL(value);
      const local = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
      return url.protocol === "https:" || (url.protocol === "http:" && local);
    } catch (error) {
      return false;
    }
  }

  function withoutFragment(address) {
    const url = new URL(address);
    url.hash = "";
    return url.href;
  }

  async function fetchText(address, what) {
    let response;
    try {
      response = await fetch(address, { cache: "no-store", credentials: "omit" });
    } catch (error) {
      throw couldNotCheck(`${what} could not be fetched (${address}: the site could not be reached or does not allow this page to read it).`);
    }
    if (!response.ok) throw couldNotCheck(`${what} could not be fetched (${address}: the site answered ${response.status}).`);
    return response.text();
  }

  /* The issuer's Profile, fetched from the address in `kid`; its id must be that address, so a
   * profile copied to another site cannot speak for the issuer. */
  async function fetchProfile(kid) {
    if (typeof kid !== "string" || !isWebAddress(kid)) {
      throw couldNotCheck("the credential does not say where its issuer publishes its key (no web address in \u201ckid\u201d).");
    }
    const address = withoutFragment(kid);
    const what = "the issuer's profile";
    let profile;
    try {
      profile = JSON.parse(await fetchText(address, what));
    } catch (error) {
      if (error instanceof Stop) throw error;
      throw couldNotCheck(`${what} could not be fetched (${address}: it is not a JSON document).`);
    }
    if (!profile || profile.id !== address) {
      throw couldNotCheck(`${what} at ${address} does not give that address as its id.`);
    }
    return profile;
  }

  function methodFor(profile, kid) {
    const methods = Array.isArray(profile.verificationMethod) ? profile.verificationMethod : [];
    const fragment = new URL(kid).hash;
    const method = methods.find((m) => m && (m.id === kid || (fragment && m.id === fragment)));
    if (!method) throw couldNotCheck(`the issuer's profile has no key ${fragment || kid}.`);
    return method;
  }

  async function importKey(method, alg) {
    const algorithm = ALGORITHMS[alg].importAs;
    const jwk = method.publicKeyJwk;
    try {
      if (jwk && typeof jwk === "object") {
        const fits = alg === "RS256" ? jwk.kty === "RSA" : jwk.kty === "OKP" && jwk.crv === "Ed25519";
        if (!fits) throw couldNotCheck(`the issuer's key ${method.id} is not a key for ${alg}.`);
        const { kty, n, e, crv, x } = jwk;
        const publicOnly = alg === "RS256" ? { kty, n, e } : { kty, crv, x };
        return await crypto.subtle.importKey("jwk", publicOnly, algorithm, false, ["verify"]);
      }
      if (alg === "EdDSA" && typeof method.publicKeyMultibase === "string" && method.publicKeyMultibase.startsWith("z")) {
        const bytes = base58Bytes(method.publicKeyMultibase.slice(1));
        if (bytes.length !== 34 || bytes[0] !== ED25519_PUB[0] || bytes[1] !== ED25519_PUB[1]) {
          throw couldNotCheck(`the issuer's key ${method.id} is not an Ed25519 key.`);
        }
        return await crypto.subtle.importKey("raw", bytes.slice(2), algorithm, false, ["verify"]);
      }
    } catch (error) {
      if (error instanceof Stop) throw error;
      throw couldNotCheck(`this browser could not read the issuer's key ${method.id} (${error.message}).`);
    }
    throw couldNotCheck(`the issuer's profile gives no usable public key for ${method.id}.`);
  }

  /* Checks one signed JWT against the profile's key; `profile` is fetched when not given. */
  async function checkSignature(jwt, profile) {
    checkAlgorithm(jwt.header.alg);
    // RFC 7515: a "crit" header names extensions the verifier must understand; this page knows none.
    if (jwt.header.crit !== undefined) throw couldNotCheck("the credential's signature uses extensions this page does not know.");
    const kid = jwt.header.kid;
    const issuerProfile = profile || (await fetchProfile(kid));
    if (typeof kid !== "string" || !isWebAddress(kid) || withoutFragment(kid) !== issuerProfile.id) {
      throw notGenuine("Not genuine: the revocation list was not signed by a key of the credential's issuer.");
    }
    const key = await importKey(methodFor(issuerProfile, kid), jwt.header.alg);
    const signature = base64urlBytes(jwt.signature, "signature");
    let good;
    try {
      good = await crypto.subtle.verify(ALGORITHMS[jwt.header.alg].verifyAs, key, signature, jwt.signed);
    } catch (error) {
      good = false;
    }
    return { good, profile: issuerProfile, keyId: kid };
  }

  const idOf = (value) => (value && typeof value === "object" ? value.id : value);
  const typesOf = (value) => (Array.isArray(value) ? value : [value]);

  function parseDate(value, what) {
    const time = Date.parse(value);
    if (typeof value !== "string" || Number.isNaN(time)) throw notGenuine(`Not genuine: its ${what} is not a date.`);
    return time;
  }

  const longDate = (time) =>
    new Date(time).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

  /* The claims that must agree, once the signature is known to be the issuer's. */
  function checkClaims(vc, profile, now) {
    if (!typesOf(vc.type).includes("VerifiableCredential")) throw notGenuine("Not genuine: it is not a verifiable credential.");
    if (vc.iss !== profile.id || idOf(vc.issuer) !== profile.id) {
      throw notGenuine("Not genuine: the issuer named in the credential is not the one whose key signed it.");
    }
    const subject = vc.credentialSubject || {};
    if (typeof vc.sub !== "string" || vc.sub !== subject.id) {
      throw notGenuine("Not genuine: the credential's parts do not agree on who it was awarded to.");
    }
    if (vc.jti !== undefined && vc.jti !== vc.id) throw notGenuine("Not genuine: the credential's parts do not agree on its id.");
    const from = parseDate(vc.validFrom, "start date");
    if (vc.nbf !== undefined && vc.nbf * 1000 !== from) throw notGenuine("Not genuine: the credential's parts do not agree on its date.");
    if (from > now) throw new Stop("bad", `Not valid yet: it takes effect on ${longDate(from)}.`);
    if (vc.validUntil !== undefined && parseDate(vc.validUntil, "end date") < now) {
      throw new Stop("bad", `Expired: it was valid until ${longDate(Date.parse(vc.validUntil))}.`);
    }
    if (vc.exp !== undefined && vc.exp * 1000 < now) throw new Stop("bad", `Expired on ${longDate(vc.exp * 1000)}.`);
  }

  function revocationEntry(vc) {
    const entries = vc.credentialStatus === undefined ? [] : typesOf(vc.credentialStatus);
    const entry = entries.find((e) => e && typesOf(e.type).includes("BitstringStatusListEntry") && e.statusPurpose === "revocation");
    if (!entry) throw couldNotCheck("the credential names no revocation list, so this page cannot tell whether it was withdrawn.");
    const index = Number(entry.statusListIndex);
    if (!/^[0-9]+$/.test(String(entry.statusListIndex)) || !Number.isSafeInteger(index)) {
      throw notGenuine("Not genuine: its place in the revocation list is not a number.");
    }
    if (!isWebAddress(entry.statusListCredential)) throw couldNotCheck("its revocation list has no web address this page can fetch.");
    return { address: entry.statusListCredential, index };
  }

  async function gunzip(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  /* Whether the credential's bit is set in the issuer's signed status list. */
  async function isRevoked(vc, profile, now) {
    const { address, index } = revocationEntry(vc);
    const text = await fetchText(address, "the issuer's revocation list");
    let list;
    try {
      list = splitJwt(text, "the revocation list");
    } catch (error) {
      throw couldNotCheck(`the issuer's revocation list (${address}) could not be read.`);
    }
    const checked = await checkSignature(list, profile);
    if (!checked.good) throw couldNotCheck(`the issuer's revocation list (${address}) does not match its signature.`);
    const payload = list.payload;
    const subject = payload.credentialSubject || {};
    const fits =
      payload.id === address &&
      idOf(payload.issuer) === profile.id &&
      (payload.iss === undefined || payload.iss === profile.id) &&
      typesOf(payload.type).includes("BitstringStatusListCredential") &&
      subject.statusPurpose === "revocation" &&
      (payload.validUntil === undefined || Date.parse(payload.validUntil) >= now);
    if (!fits) throw couldNotCheck(`the issuer's revocation list (${address}) is not a current revocation list of this issuer.`);
    const encoded = String(subject.encodedList || "");
    if (!encoded.startsWith("u")) throw couldNotCheck("the issuer's revocation list is not in the expected encoding.");
    let bits;
    try {
      bits = await gunzip(base64urlBytes(encoded.slice(1), "revocation list"));
    } catch (error) {
      throw couldNotCheck("the issuer's revocation list could not be unpacked.");
    }
    if (bits.length * 8 < Math.max(MIN_LIST_BITS, index + 1)) {
      throw couldNotCheck("the issuer's revocation list is shorter than the credential's place in it.");
    }
    // Bit 0 is the most significant bit of the first byte.
    return ((bits[index >> 3] >> (7 - (index & 7))) & 1) === 1;
  }

  /* The checks in order; returns the verdict and the decoded credential (if it could be read). */
  async function checkCredential(text, now) {
    let jwt = null;
    try {
      jwt = splitJwt(text, "a credential");
      const checked = await checkSignature(jwt, null);
      if (!checked.good) throw notGenuine("Not genuine: the credential was changed after it was signed.");
      checkClaims(jwt.payload, checked.profile, now);
      if (await isRevoked(jwt.payload, checked.profile, now)) {
        return { kind: "revoked", verdict: "Revoked by its issuer.", vc: jwt.payload, profile: checked.profile };
      }
      return { kind: "genuine", verdict: "Genuine.", vc: jwt.payload, profile: checked.profile, keyId: checked.keyId };
    } catch (error) {
      if (!(error instanceof Stop)) {
        return { kind: "unchecked", verdict: `Could not check: something went wrong in this browser (${error.message}).`, vc: jwt && jwt.payload };
      }
      if (error.kind === "json") {
        return {
          kind: "unchecked",
          verdict:
            "Could not check: this is the .json form of a credential. This page checks the .jwt form only: ask the issuer for the .jwt file of the same credential.",
          vc: null,
        };
      }
      return { kind: error.kind, verdict: error.message, vc: jwt && jwt.payload };
    }
  }

  /* ---- What the reader sees ---- */

  const text = (value) => (typeof value === "string" || typeof value === "number" ? String(value) : "");

  function learnerName(subject) {
    const identifiers = Array.isArray(subject.identifier) ? subject.identifier : [];
    const named = identifiers.find((i) => i && i.identityType === "name" && i.hashed === false);
    return text(named ? named.identityHash : subject.name);
  }

  function resultLines(subject) {
    const achievement = subject.achievement || {};
    const descriptions = Array.isArray(achievement.resultDescription) ? achievement.resultDescription : [];
    const results = Array.isArray(subject.result) ? subject.result : [];
    return results.map((result) => {
      const description = descriptions.find((d) => d && d.id === result.resultDescription) || {};
      const percent = description.resultType === "Percent" ? "%" : "";
      const value = text(result.value) ? text(result.value) + percent : text(result.status);
      const needed = text(description.requiredValue) ? ` (pass mark ${text(description.requiredValue)}${percent})` : "";
      return `${text(description.name) || "Result"}: ${value}${needed}`;
    });
  }

  function addRow(list, label, value) {
    if (!value) return;
    const term = document.createElement("dt");
    term.textContent = label;
    const detail = document.createElement("dd");
    if (value instanceof Node) detail.appendChild(value);
    else detail.textContent = value;
    list.append(term, detail);
  }

  function bodyLink(issuer) {
    const address = text(issuer.url);
    if (!/^https?:\/\//i.test(address)) return null;
    const link = document.createElement("a");
    link.href = address;
    link.rel = "noopener noreferrer nofollow";
    link.textContent = address;
    return link;
  }

  function details(vc, trusted) {
    const subject = vc.credentialSubject || {};
    const achievement = subject.achievement || {};
    const issuer = vc.issuer && typeof vc.issuer === "object" ? vc.issuer : {};
    const section = document.createElement("div");
    const heading = document.createElement("h2");
    heading.textContent = trusted ? "What was awarded" : "What the credential claims (not confirmed: see above)";
    const list = document.createElement("dl");
    list.className = "ccin-verify-details";
    addRow(list, "Achievement", text(achievement.name) || text(vc.name));
    addRow(list, "Learner", learnerName(subject));
    addRow(list, "Result", resultLines(subject).join("; "));
    addRow(list, "Awarding body", text(issuer.name));
    addRow(list, "Awarding body's website", bodyLink(issuer));
    const from = Date.parse(vc.validFrom);
    addRow(list, "Awarded on", Number.isNaN(from) ? "" : longDate(from));
    addRow(list, "What it took", text((achievement.criteria || {}).narrative));
    section.append(heading, list);
    return section;
  }

  function show(result, output) {
    const box = document.createElement("div");
    box.className = `ccin-verify-verdict ccin-verify-${result.kind}`;
    const verdict = document.createElement("p");
    verdict.className = "ccin-verify-verdict-text";
    verdict.textContent = result.verdict;
    box.appendChild(verdict);
    if (result.kind === "genuine" || result.kind === "revoked") {
      const source = document.createElement("p");
      source.textContent = `Signed with the key published at ${withoutFragment(result.profile.id)} (${new URL(result.profile.id).host}). Make sure this web address belongs to the awarding body.`;
      box.appendChild(source);
    }
    const nodes = [box];
    if (result.vc) nodes.push(details(result.vc, result.kind === "genuine" || result.kind === "revoked"));
    output.replaceChildren(...nodes);
  }

  function start() {
    const form = document.getElementById("ccin-verify");
    const output = document.getElementById("ccin-verify-result");
    if (!form || !output) return;
    const pasted = document.getElementById("ccin-verify-token");
    const file = document.getElementById("ccin-verify-file");
    const drop = document.getElementById("ccin-verify-drop");
    let running = 0;
    // A certificate's QR code and link name the credential: ?credential=urn:uuid:...
    const expected = new URLSearchParams(window.location.search).get("credential");
    if (expected) {
      const named = document.createElement("p");
      named.className = "ccin-verify-expected";
      named.textContent = `The certificate you came from names the credential ${expected}. ` +
        "Drop in, or paste, the credential file the learner gave you.";
      form.before(named);
    }

    async function run(token) {
      const mine = ++running;
      output.replaceChildren(Object.assign(document.createElement("p"), { textContent: "Checking\u2026" }));
      const result = await checkCredential(token, Date.now());
      if (mine !== running) return;
      show(result, output);
      if (expected && result.vc && result.vc.id !== expected) {
        const other = document.createElement("p");
        other.className = "ccin-verify-mismatch";
        other.textContent = `This is not the credential the certificate names (${expected}): ` +
          `this file is ${result.vc.id || "a credential without an id"}.`;
        output.append(other);
      }
    }

    async function fromFile(chosen) {
      if (!chosen) return;
      if (chosen.size > 1024 * 1024) {
        show({ kind: "unchecked", verdict: "Could not check: the file is too large to be a credential.", vc: null }, output);
        return;
      }
      pasted.value = (await chosen.text()).trim();
      await run(pasted.value);
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!pasted.value.trim()) {
        show({ kind: "unchecked", verdict: "Choose a credential file or paste its text first.", vc: null }, output);
        return;
      }
      run(pasted.value);
    });
    file.addEventListener("change", () => fromFile(file.files[0]));
    for (const name of ["dragenter", "dragover"]) {
      drop.addEventListener(name, (event) => {
        event.preventDefault();
        drop.classList.add("ccin-verify-dragging");
      });
    }
    drop.addEventListener("dragleave", () => drop.classList.remove("ccin-verify-dragging"));
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      drop.classList.remove("ccin-verify-dragging");
      fromFile(event.dataTransfer.files[0]);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
