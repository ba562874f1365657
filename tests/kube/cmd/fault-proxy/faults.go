package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
)

// faults holds what is to go wrong next. Its control endpoints:
//
//	POST /_faults/fail?count=N&status=CODE[&retryAfter=SECONDS]
//	     the next N API requests (watches included) get CODE with a
//	     Kubernetes Status body, as the API server writes it
//	POST /_faults/close-watches    every open watch stream ends at once
//	POST /_faults/expire-watches   every open watch gets an ERROR event with
//	                               410 Expired and then ends
//	GET  /_faults/watches          how many watch streams are open
type faults struct {
	mu         sync.Mutex
	failCount  int
	failStatus int
	retryAfter string
	watches    map[*watchContext]struct{}
	injected   atomic.Int64
}

func newFaults() *faults {
	return &faults{watches: map[*watchContext]struct{}{}}
}

func (f *faults) register(mux *http.ServeMux) {
	mux.HandleFunc("POST /_faults/fail", f.handleFail)
	mux.HandleFunc("POST /_faults/close-watches", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, f.endWatches(false))
	})
	mux.HandleFunc("POST /_faults/expire-watches", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, f.endWatches(true))
	})
	mux.HandleFunc("GET /_faults/watches", func(w http.ResponseWriter, _ *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		fmt.Fprintln(w, len(f.watches))
	})
	mux.HandleFunc("GET /_faults/injected", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, f.injected.Load())
	})
}

func (f *faults) handleFail(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	count, err := strconv.Atoi(query.Get("count"))
	if err != nil || count < 0 {
		http.Error(w, "count must be a number of requests", http.StatusBadRequest)
		return
	}
	status, err := strconv.Atoi(query.Get("status"))
	if err != nil || status < 400 || status > 599 {
		http.Error(w, "status must be an HTTP error code", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.failCount, f.failStatus, f.retryAfter = count, status, query.Get("retryAfter")
	f.mu.Unlock()
	slog.Info("failing the next requests", "count", count, "status", status)
}

// inject answers r with the pending failure, if any, and says whether it did.
func (f *faults) inject(w http.ResponseWriter, r *http.Request) bool {
	f.mu.Lock()
	if f.failCount == 0 {
		f.mu.Unlock()
		return false
	}
	f.failCount--
	status, retryAfter := f.failStatus, f.retryAfter
	f.mu.Unlock()
	f.injected.Add(1)
	reason := "InternalError"
	if status == http.StatusTooManyRequests {
		reason = "TooManyRequests"
	}
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(statusBody(status, reason, "injected by the fault proxy: "+r.Method+" "+r.URL.Path))
	return true
}

func statusBody(code int, reason, message string) map[string]any {
	return map[string]any{
		"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{},
		"status": "Failure", "message": message, "reason": reason, "code": code,
	}
}

// watchContext is one proxied watch, which the faults can end.
type watchContext struct {
	context.Context
	cancel context.CancelFunc
	writer *watchWriter
}

func (f *faults) openWatch(parent context.Context, w http.ResponseWriter) (*watchContext, func()) {
	ctx, cancel := context.WithCancel(parent)
	watch := &watchContext{Context: ctx, cancel: cancel, writer: &watchWriter{ResponseWriter: w}}
	f.mu.Lock()
	f.watches[watch] = struct{}{}
	f.mu.Unlock()
	return watch, func() {
		f.mu.Lock()
		delete(f.watches, watch)
		f.mu.Unlock()
		cancel()
	}
}

func (f *faults) endWatches(expire bool) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	for watch := range f.watches {
		if expire {
			watch.writer.expire()
		}
		watch.cancel()
	}
	return len(f.watches)
}

// watchWriter passes a watch stream on until it is expired: then it writes
// the API server's ERROR event with 410 Expired, what the real server sends
// when a watch's resourceVersion has been compacted away, and nothing more.
type watchWriter struct {
	http.ResponseWriter
	mu    sync.Mutex
	ended bool
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ended {
		return len(p), nil
	}
	return w.ResponseWriter.Write(p)
}

func (w *watchWriter) expire() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ended {
		return
	}
	w.ended = true
	event, _ := json.Marshal(map[string]any{"type": "ERROR", "object": statusBody(http.StatusGone, "Expired",
		"too old resource version (injected by the fault proxy)")})
	w.ResponseWriter.Write(append(event, '\n'))
	w.flushLocked()
}

func (w *watchWriter) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.flushLocked()
}

func (w *watchWriter) flushLocked() {
	if flusher, ok := w.ResponseWriter.(http.Flusher); ok {
		flusher.Flush()
	}
}
