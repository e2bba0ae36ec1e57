package webkittest

import (
	"io"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// An X server that resets when its last client leaves drops a client that
// connects meanwhile, and MiniBrowser then says "cannot open display".
// Each test's MiniBrowser is the display's only client, so the next
// test's met that reset once in five loaded runs. Here clients come and
// go from three goroutines, so one often arrives as the last leaves.
func TestTheDisplayKeepsAClientThatComesAsAnotherLeaves(t *testing.T) {
	requireWebKit(t)
	const goroutines, each = 3, 300
	var (
		mu      sync.Mutex
		dropped []error
		wg      sync.WaitGroup
	)
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if err := greetX(webkit.Socket()); err != nil {
					mu.Lock()
					dropped = append(dropped, err)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, len(dropped), "%d of %d clients dropped, the first: %v",
		len(dropped), goroutines*each, dropped[:min(len(dropped), 3)])
}

// greetX opens an X connection and reads the server's answer to the
// connection setup (X11 protocol, "Connection Setup"): 1 is Success.
func greetX(socket string) error {
	c, err := net.Dial("unix", socket)
	if err != nil {
		return err
	}
	defer c.Close()
	// Little-endian, protocol 11.0, no authorization.
	if _, err := c.Write([]byte{'l', 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0}); err != nil {
		return err
	}
	answer := make([]byte, 8)
	if _, err := io.ReadFull(c, answer); err != nil {
		return err
	}
	if answer[0] != 1 {
		return &setupError{answer[0]}
	}
	return nil
}

type setupError struct{ status byte }

func (e *setupError) Error() string {
	return [...]string{"Failed", "Success", "Authenticate"}[min(int(e.status), 2)] + " (connection setup)"
}
