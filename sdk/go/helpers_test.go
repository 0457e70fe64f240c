package pulse_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	pulse "github.com/pulsehr/pulsehr-go"
)

// setting is a PULSE_TEST_* variable set by the pytest driver (tests/sdk_go). Without it the
// live tests skip, unless PULSE_TEST_REQUIRE_LIVE=1 (as the driver sets it), where they fail.
func setting(t *testing.T, name string) string {
	t.Helper()
	value := os.Getenv(name)
	if value == "" {
		if os.Getenv("PULSE_TEST_REQUIRE_LIVE") == "1" {
			t.Fatalf("%s is not set", name)
		}
		t.Skipf("%s is not set: the live tests run from pytest (tests/sdk_go)", name)
	}
	return value
}

// liveClient is a client of the live server with the read/write key and a short backoff.
func liveClient(t *testing.T, opts ...pulse.Option) *pulse.Client {
	t.Helper()
	base := setting(t, "PULSE_TEST_BASE_URL")
	key := setting(t, "PULSE_TEST_KEY")
	opts = append([]pulse.Option{pulse.WithBaseURL(base), pulse.WithBackoff(50*time.Millisecond, time.Second)}, opts...)
	client, err := pulse.NewClient(key, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// conformanceDir is sdk/conformance: $PULSE_CONFORMANCE_DIR, or its place beside this module.
func conformanceDir() string {
	if dir := os.Getenv("PULSE_CONFORMANCE_DIR"); dir != "" {
		return dir
	}
	return filepath.Join("..", "conformance")
}

// unique is a random suffix, so that runs sharing a workspace do not see each other's rows.
func unique() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
