package fetcher

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/godevcommunity/newsletter/urlnorm"
)

// A repository's GitHub page is mostly navigation around the README, so for
// repository URLs Fetch asks the REST API for the README itself.

// githubReserved are first path segments of github.com that are site
// sections, not owners.
var githubReserved = map[string]bool{
	"about": true, "apps": true, "codespaces": true, "collections": true, "contact": true,
	"customer-stories": true, "enterprise": true, "events": true, "explore": true, "features": true,
	"issues": true, "join": true, "login": true, "marketplace": true, "new": true,
	"notifications": true, "organizations": true, "orgs": true, "pricing": true, "pulls": true,
	"readme": true, "search": true, "security": true, "settings": true, "site": true,
	"sponsors": true, "team": true, "topics": true, "trending": true, "users": true,
}

// githubRepo recognises repository URLs: github.com/OWNER/REPO with an
// optional ".git" suffix, trailing slash or /tree/BRANCH/... path, on
// github.com or www.github.com. Issues, files (blob), user pages and other
// URLs are not repositories and are fetched as pages.
func githubRepo(u *url.URL) (owner, repo string, ok bool) {
	if h := u.Hostname(); h != "github.com" && h != "www.github.com" {
		return "", "", false
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segs) < 2 || (len(segs) > 2 && segs[2] != "tree") {
		return "", "", false
	}
	owner, repo = segs[0], strings.TrimSuffix(segs[1], ".git")
	if githubReserved[strings.ToLower(owner)] || !validGitHubName(owner, false) || !validGitHubName(repo, true) {
		return "", "", false
	}
	return owner, repo, true
}

// validGitHubName checks an owner (letters, digits, hyphens) or repository
// (also dots and underscores) name.
func validGitHubName(s string, isRepo bool) bool {
	if s == "" || len(s) > 100 || s == "." || s == ".." {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' ||
			isRepo && (r == '.' || r == '_')
		if !ok {
			return false
		}
	}
	return true
}

// githubTarget builds the request for a repository README: the raw media
// type returns the file itself (markdown for nearly every repository).
func (f *Fetcher) githubTarget(name, owner, repo string) (*target, error) {
	api, err := url.JoinPath(f.cfg.GitHubAPIURL, "repos", owner, repo, "readme")
	if err != nil {
		return nil, &reasonError{msg: "invalid GitHub API URL: " + err.Error(), err: err}
	}
	h := http.Header{}
	h.Set("Accept", "application/vnd.github.raw+json")
	h.Set("X-GitHub-Api-Version", "2022-11-28")
	if f.cfg.GitHubToken != "" {
		h.Set("Authorization", "Bearer "+f.cfg.GitHubToken)
	}
	return &target{
		url:       api,
		name:      name,
		header:    h,
		finalURL:  "https://github.com/" + owner + "/" + repo,
		mediaType: "text/markdown",
		github:    true,
	}, nil
}

// githubRateLimit turns GitHub's primary rate-limit answer (403 with
// X-RateLimit-Remaining: 0) into what it means, 429, with the wait until
// X-RateLimit-Reset, so it is retried later instead of counted permanent.
func githubRateLimit(resp *http.Response, now time.Time) (code int, wait time.Duration, ok bool) {
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("X-RateLimit-Remaining") != "0" {
		return 0, 0, false
	}
	if reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
		wait = max(time.Unix(reset, 0).Sub(now), 0)
	}
	return http.StatusTooManyRequests, wait, true
}

// GitHubAPI names the GitHub REST API as a dependency: its rate limit is
// an outage of it (see package retry).
const GitHubAPI = "github"

// Dependency names what fetching rawURL depends on beyond the page's own
// site: GitHubAPI for a repository URL, "" otherwise.
func Dependency(rawURL string) string {
	u, err := urlnorm.Parse(rawURL)
	if err != nil {
		return ""
	}
	if _, _, ok := githubRepo(u); ok {
		return GitHubAPI
	}
	return ""
}
