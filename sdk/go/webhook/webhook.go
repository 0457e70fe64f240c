// Package webhook verifies PulseHR webhook deliveries. Every delivery is signed twice over the
// same raw body:
//
//   - X-Pulse-Signature: t=<unix>,v1=<hex>[,v1=<hex>]: HMAC-SHA256 keyed with the endpoint's
//     whole secret string (whsec_…) over "<t>.<raw body>" (Stripe's scheme);
//   - Standard Webhooks (standardwebhooks.com): webhook-id, webhook-timestamp and
//     webhook-signature: v1,<base64>[ v1,<base64>], HMAC-SHA256 keyed with the base64-decoded
//     bytes after whsec_ over "<id>.<timestamp>.<raw body>".
//
// After a rotation the old and the new secret both sign for 24 hours, so each header carries two
// v1 values: one match is enough. X-Pulse-Signature is checked when present, else the Standard
// Webhooks headers.
//
//	func handle(w http.ResponseWriter, r *http.Request) {
//		body, _ := io.ReadAll(r.Body)
//		event, err := webhook.Verify(body, r.Header, os.Getenv("PULSE_WEBHOOK_SECRET"), webhook.DefaultTolerance)
//		if err != nil {
//			http.Error(w, err.Error(), http.StatusBadRequest)
//			return
//		}
//		data, err := event.DecodeData() // *pulse.Employee for employee.created, …
//		…
//	}
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	pulse "github.com/pulsehr/pulsehr-go"
)

// SignatureHeader is PulseHR's own signature header.
const SignatureHeader = "X-Pulse-Signature"

// DefaultTolerance is how far a signature's timestamp may be from now (five minutes).
const DefaultTolerance = 300 * time.Second

// NoTolerance, as the tolerance, skips the timestamp check (to re-verify a stored delivery).
const NoTolerance time.Duration = -1

const secretPrefix = "whsec_"

// Reasons a delivery is refused, in VerificationError.Reason (the conformance suite's words).
const (
	ReasonMissingHeader       = "missing_header"
	ReasonMalformedHeader     = "malformed_header"
	ReasonTimestampTooOld     = "timestamp_too_old"
	ReasonTimestampInFuture   = "timestamp_in_future"
	ReasonNoMatchingSignature = "no_matching_signature"
	ReasonInvalidPayload      = "invalid_payload"
)

// VerificationError says why a delivery is not authentic or not fresh: answer it with 400 and do
// not act on it. errors.Is(err, pulse.ErrWebhookVerification) is true for it.
type VerificationError struct {
	// Reason is one of the Reason constants.
	Reason string
	// Message says what was wrong, for logs.
	Message string
}

// Error says why, prefixed with "pulse webhook: ".
func (e *VerificationError) Error() string { return "pulse webhook: " + e.Message }

// Unwrap makes errors.Is(err, pulse.ErrWebhookVerification) true.
func (e *VerificationError) Unwrap() error { return pulse.ErrWebhookVerification }

func refuse(reason, format string, args ...any) error {
	return &VerificationError{Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// Verifier verifies deliveries with a secret, a tolerance and a clock of its own.
type Verifier struct {
	// Secret is the endpoint's signing secret (whsec_…).
	Secret string
	// Tolerance is how far the timestamp may be from now (usually DefaultTolerance);
	// NoTolerance skips the check.
	Tolerance time.Duration
	// Now is the clock; nil means time.Now. Tests inject theirs.
	Now func() time.Time
}

// Verify returns the event of a delivery whose signature matches secret and whose timestamp is
// within tolerance of now (DefaultTolerance is the usual value; NoTolerance skips the check),
// or a *VerificationError. payload must be the raw body exactly as received.
func Verify(payload []byte, header http.Header, secret string, tolerance time.Duration) (*pulse.Event, error) {
	return Verifier{Secret: secret, Tolerance: tolerance}.Verify(payload, header)
}

// ConstructEvent is Verify under Stripe's name: the verified delivery's event.
func ConstructEvent(payload []byte, header http.Header, secret string, tolerance time.Duration) (*pulse.Event, error) {
	return Verify(payload, header, secret, tolerance)
}

// Verify checks a delivery as the package-level Verify does, with the Verifier's settings.
func (v Verifier) Verify(payload []byte, header http.Header) (*pulse.Event, error) {
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	tolerance := v.Tolerance
	var err error
	if pulseHeader := strings.Join(header.Values(SignatureHeader), ","); pulseHeader != "" {
		err = verifyPulse(payload, pulseHeader, v.Secret, tolerance, now)
	} else if standard := strings.Join(header.Values("webhook-signature"), " "); standard != "" {
		err = verifyStandard(payload, header, standard, v.Secret, tolerance, now)
	} else {
		err = refuse(ReasonMissingHeader, "no %s header (nor Standard Webhooks' webhook-signature)", SignatureHeader)
	}
	if err != nil {
		return nil, err
	}
	return parseEvent(payload)
}

// Sign makes an X-Pulse-Signature value as PulseHR does, for tests of your own handlers.
func Sign(payload []byte, secret string, timestamp time.Time) string {
	t := strconv.FormatInt(timestamp.Unix(), 10)
	return "t=" + t + ",v1=" + hex.EncodeToString(mac([]byte(secret), []byte(t+"."), payload))
}

func verifyPulse(payload []byte, header, secret string, tolerance time.Duration, now time.Time) error {
	var timestamps, signatures []string
	for _, item := range strings.Split(header, ",") {
		key, value, found := strings.Cut(strings.TrimSpace(item), "=")
		if !found {
			continue
		}
		switch key {
		case "t":
			timestamps = append(timestamps, value)
		case "v1":
			signatures = append(signatures, value)
		}
	}
	if len(timestamps) != 1 || !isDigits(timestamps[0]) {
		return refuse(ReasonMalformedHeader, "%s has no valid timestamp (t=…)", SignatureHeader)
	}
	if len(signatures) == 0 {
		return refuse(ReasonMalformedHeader, "%s has no v1 signature", SignatureHeader)
	}
	if err := checkFreshness(timestamps[0], tolerance, now); err != nil {
		return err
	}
	expected := mac([]byte(secret), []byte(timestamps[0]+"."), payload)
	for _, signature := range signatures {
		if candidate, err := hex.DecodeString(signature); err == nil && hmac.Equal(candidate, expected) {
			return nil
		}
	}
	return refuse(ReasonNoMatchingSignature, "no v1 signature matches the payload and secret")
}

func verifyStandard(payload []byte, header http.Header, signature, secret string, tolerance time.Duration, now time.Time) error {
	id := header.Get("webhook-id")
	timestamp := strings.TrimSpace(header.Get("webhook-timestamp"))
	if id == "" {
		return refuse(ReasonMissingHeader, "no webhook-id header")
	}
	if !isDigits(timestamp) {
		return refuse(ReasonMalformedHeader, "webhook-timestamp has no valid timestamp")
	}
	var signatures []string
	for _, entry := range strings.Fields(signature) {
		if strings.HasPrefix(entry, "v1,") {
			signatures = append(signatures, entry[3:])
		}
	}
	if len(signatures) == 0 {
		return refuse(ReasonMalformedHeader, "webhook-signature has no v1 signature")
	}
	if err := checkFreshness(timestamp, tolerance, now); err != nil {
		return err
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil {
		return refuse(ReasonNoMatchingSignature, "the secret is not a %s… secret (base64)", secretPrefix)
	}
	expected := mac(key, []byte(id+"."+timestamp+"."), payload)
	for _, candidate := range signatures {
		if decoded, err := base64.StdEncoding.DecodeString(candidate); err == nil && hmac.Equal(decoded, expected) {
			return nil
		}
	}
	return refuse(ReasonNoMatchingSignature, "no v1 signature matches the payload and secret")
}

func checkFreshness(timestamp string, tolerance time.Duration, now time.Time) error {
	if tolerance < 0 {
		return nil
	}
	seconds, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return refuse(ReasonMalformedHeader, "the timestamp %q is not a number", timestamp)
	}
	age := now.Unix() - seconds
	limit := int64(tolerance / time.Second)
	if age > limit {
		return refuse(ReasonTimestampTooOld, "the signature's timestamp is more than %d s old", limit)
	}
	if -age > limit {
		return refuse(ReasonTimestampInFuture, "the signature's timestamp is more than %d s ahead", limit)
	}
	return nil
}

func mac(key, prefix, payload []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(prefix)
	h.Write(payload)
	return h.Sum(nil)
}

func isDigits(text string) bool {
	if text == "" {
		return false
	}
	for _, r := range text {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func parseEvent(payload []byte) (*pulse.Event, error) {
	var probe any
	if err := json.Unmarshal(payload, &probe); err != nil {
		return nil, refuse(ReasonInvalidPayload, "the payload is not JSON")
	}
	if _, ok := probe.(map[string]any); !ok {
		return nil, refuse(ReasonInvalidPayload, "the payload is not a JSON object")
	}
	event := &pulse.Event{}
	if err := json.Unmarshal(payload, event); err != nil {
		return nil, refuse(ReasonInvalidPayload, "the payload is not an event: %v", err)
	}
	return event, nil
}
