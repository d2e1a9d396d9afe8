// Package fetcher downloads the pages behind user-submitted URLs and returns
// their bytes as UTF-8 text; turning a page into readable article text is
// the extractor's job.
//
// Submitted URLs are untrusted, so the client is hardened:
//
//   - Only http and https. URLs are normalised (urlnorm.Normalize): lower-case
//     scheme and host, punycode for international names, default port and
//     fragment dropped, tracking parameters (utm_*, fbclid, gclid, mc_cid,
//     mc_eid, "ref" outside code forges, ...) removed.
//   - An address guard refuses loopback, private, link-local (including the
//     cloud metadata address 169.254.169.254), carrier-grade NAT,
//     unspecified, multicast, broadcast and reserved addresses, in IPv4,
//     IPv6 and IPv4-in-IPv6 forms. It runs when dialling, on every address a
//     name resolves to, and the checked address is the one dialled; the
//     dialer's Control hook checks it once more. Numeric hosts such as
//     "http://2130706433/" or "http://0x7f.1/" are parsed as IPv4 here and
//     never reach DNS. Environment proxies are ignored. The configuration can
//     allow some networks (allowed_networks) or all (allow_private_networks).
//   - Connect, TLS handshake and response header timeouts, and a deadline on
//     each whole request that also ends a body trickled slowly.
//   - A cap on the body after decompression, so a gzip bomb stops at the cap.
//   - At most max_redirects redirects, each checked by the guard; loops are
//     reported as such.
//   - At most per_host_concurrency requests in flight per host.
//   - Retries with exponential backoff and jitter for 408, 429, 502, 503,
//     504 (honouring Retry-After) and transient network errors.
//
// HTML and XHTML (as text/html), plain text, markdown and PDF are accepted,
// with the type sniffed when the server does not say; images and other
// binaries are refused with ErrUnsupportedType. Text bodies are converted
// to UTF-8 from the charset given by a byte order mark, the Content-Type
// header, a <meta> declaration or the bytes themselves; a PDF is passed on
// as it was served.
//
// A GitHub repository URL (https://github.com/OWNER/REPO, also with .git or
// /tree/...) returns the repository's README as markdown, fetched through
// the GitHub REST API with the configured token.
package fetcher
