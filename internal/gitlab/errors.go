package gitlab

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Kinds of failure, matched with errors.Is against a *Error (or, for
// ErrInvalidArgument, an error returned before any request).
var (
	ErrInvalidArgument   = errors.New("gitlab: invalid argument")         // rejected before sending
	ErrBadRequest        = errors.New("gitlab: bad request")              // 400
	ErrUnauthorized      = errors.New("gitlab: unauthorized")             // 401: no, unknown, expired or revoked credential
	ErrForbidden         = errors.New("gitlab: forbidden")                // 403, including ErrInsufficientScope
	ErrInsufficientScope = errors.New("gitlab: token scope insufficient") // 403 insufficient_scope (a read_api token acting)
	ErrNotFound          = errors.New("gitlab: not found")                // 404: absent or invisible to the caller
	ErrMethodNotAllowed  = errors.New("gitlab: method not allowed")       // 405: moved project, pagination limits
	ErrConflict          = errors.New("gitlab: conflict")                 // 409
	ErrRateLimited       = errors.New("gitlab: rate limited")             // 429
	ErrServer            = errors.New("gitlab: server error")             // 5xx
	ErrUnexpected        = errors.New("gitlab: unexpected response")      // other status, or a body that does not decode
	ErrNetwork           = errors.New("gitlab: no response")              // offline, DNS, dropped connection, or (in a browser) a CORS refusal
)

// Error is GitLab's answer to a request that did not succeed: every status
// outside 2xx. It never contains the credential (it is not in the URL, and
// Message is scrubbed of it).
type Error struct {
	Method     string        // HTTP method
	Path       string        // request path, without query (it may hold a cursor or a search)
	StatusCode int           // HTTP status
	Message    string        // GitLab's message, sanitised; "" if the body had none
	Code       string        // OAuth-style error code: "invalid_token", "insufficient_scope"; else ""
	RequestID  string        // X-Request-Id, for GitLab's logs; "" when not exposed (§4)
	RetryAfter time.Duration // from Retry-After; 0 when absent or unreadable (always in browsers, §9)
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d", e.Method, e.Path, e.StatusCode)
	if t := statusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	return b.String()
}

// Is matches the kind sentinels by status (and Code for insufficient scope).
func (e *Error) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == 400
	case ErrUnauthorized:
		return e.StatusCode == 401
	case ErrForbidden:
		return e.StatusCode == 403
	case ErrInsufficientScope:
		return e.StatusCode == 403 && e.Code == "insufficient_scope"
	case ErrNotFound:
		return e.StatusCode == 404
	case ErrMethodNotAllowed:
		return e.StatusCode == 405
	case ErrConflict:
		return e.StatusCode == 409
	case ErrRateLimited:
		return e.StatusCode == 429
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	case ErrUnexpected:
		return e.StatusCode < 400 || e.StatusCode > 599 || e.Code == codeUndecodable
	}
	return false
}

// Temporary reports whether repeating the same request later may succeed:
// 429 and 502/503/504 (the statuses reads are retried on).
func (e *Error) Temporary() bool {
	switch e.StatusCode {
	case 429, 502, 503, 504:
		return true
	}
	return false
}

// codeUndecodable marks a 2xx whose body did not decode (truncated JSON).
const codeUndecodable = "undecodable_body"

func statusText(code int) string {
	switch code {
	case 200:
		return "OK"
	case 201:
		return "Created"
	case 301:
		return "Moved Permanently"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 405:
		return "Method Not Allowed"
	case 409:
		return "Conflict"
	case 410:
		return "Gone"
	case 422:
		return "Unprocessable Entity"
	case 429:
		return "Too Many Requests"
	case 500:
		return "Internal Server Error"
	case 502:
		return "Bad Gateway"
	case 503:
		return "Service Unavailable"
	case 504:
		return "Gateway Timeout"
	}
	return ""
}

// maxMessage bounds Message: an error body is untrusted and lands in the UI.
const maxMessage = 512

// decodeErrorBody extracts GitLab's message (and OAuth error code) from an
// error body of any shape in gitlab-api.md §4 and §2.2:
//
//	{"message":"404 Project Not Found"}
//	{"message":{"error":"This endpoint has been requested too many times. ..."}}
//	{"message":{"name":["has already been taken"]}}
//	{"error":"scope does not have a valid value"}
//	{"error":"insufficient_scope","error_description":"...","scope":"api"}
//	Retry later                                   (text/plain, Rack::Attack)
//
// HTML (a proxy's error page) gives "", and so does anything else it cannot
// read: the status then speaks for itself. The result is sanitised text.
func decodeErrorBody(contentType string, body []byte) (message, code string) {
	trimmed := strings.TrimSpace(string(body))
	if strings.HasPrefix(trimmed, "{") {
		var v struct {
			Message          json.RawMessage `json:"message"`
			Error            json.RawMessage `json:"error"`
			ErrorDescription string          `json:"error_description"`
		}
		if json.Unmarshal(body, &v) != nil {
			return "", ""
		}
		if len(v.Message) > 0 && string(v.Message) != "null" {
			return sanitize(messageText(v.Message)), ""
		}
		errText := messageText(v.Error)
		if v.ErrorDescription != "" {
			return sanitize(v.ErrorDescription), sanitize(errText)
		}
		return sanitize(errText), ""
	}
	ct := strings.ToLower(contentType)
	if strings.HasPrefix(ct, "text/plain") || (ct == "" && !strings.HasPrefix(trimmed, "<")) {
		return sanitize(trimmed), ""
	}
	return "", ""
}

// messageText renders "message"'s value: a string, {"error": s}, or field
// validation errors {"field": ["msg", ...]} as "field msg; ...".
func messageText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return ""
	}
	if e, ok := obj["error"]; ok && json.Unmarshal(e, &s) == nil {
		return s
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		var msgs []string
		if json.Unmarshal(obj[k], &msgs) == nil {
			for _, m := range msgs {
				parts = append(parts, k+" "+m)
			}
		} else if json.Unmarshal(obj[k], &s) == nil {
			parts = append(parts, k+" "+s)
		}
	}
	return strings.Join(parts, "; ")
}

// sanitize makes untrusted text safe to show as one line: invalid UTF-8
// becomes U+FFFD, control and bidi-formatting characters become spaces,
// runs of space collapse, and the result is cut to maxMessage bytes on a
// rune boundary.
func sanitize(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s { // an invalid byte ranges as U+FFFD
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		n := utf8.RuneLen(r)
		if space {
			n++
		}
		if b.Len()+n > maxMessage {
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
