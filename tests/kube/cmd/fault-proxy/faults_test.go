package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestFailAnswersTheNextRequestsAsTheAPIServerWould(t *testing.T) {
	f := newFaults()
	mux := http.NewServeMux()
	f.register(mux)
	control := httptest.NewRecorder()
	mux.ServeHTTP(control, httptest.NewRequest("POST", "/_faults/fail?count=2&status=429&retryAfter=1", nil))
	if control.Code != http.StatusOK {
		t.Fatalf("control answered %d: %s", control.Code, control.Body)
	}
	for i := range 2 {
		w := httptest.NewRecorder()
		if !f.inject(w, httptest.NewRequest("GET", "/api/v1/pods", nil)) {
			t.Fatalf("request %d was not failed", i)
		}
		var status map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &status); err != nil {
			t.Fatalf("body is not JSON: %v", err)
		}
		if w.Code != 429 || w.Header().Get("Retry-After") != "1" || status["reason"] != "TooManyRequests" || status["kind"] != "Status" {
			t.Fatalf("got %d %q %v", w.Code, w.Header().Get("Retry-After"), status)
		}
	}
	if f.inject(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/v1/pods", nil)) {
		t.Fatal("a third request was failed; only two were asked for")
	}
}

func TestFailRefusesWhatIsNoFault(t *testing.T) {
	f := newFaults()
	mux := http.NewServeMux()
	f.register(mux)
	for _, query := range []string{"count=x&status=500", "count=1&status=200", "count=-1&status=500"} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("POST", "/_faults/fail?"+query, nil))
		if w.Code != http.StatusBadRequest {
			t.Errorf("%s: answered %d, want 400", query, w.Code)
		}
	}
}

func TestAnExpiredWatchEndsWithA410EventAndNothingAfter(t *testing.T) {
	f := newFaults()
	recorder := httptest.NewRecorder()
	watch, end := f.openWatch(t.Context(), recorder)
	defer end()
	watch.writer.Write([]byte(`{"type":"ADDED"}` + "\n"))
	if ended := f.endWatches(true); ended != 1 {
		t.Fatalf("ended %d watches, want 1", ended)
	}
	watch.writer.Write([]byte(`{"type":"MODIFIED"}` + "\n"))
	lines := strings.Split(strings.TrimSpace(recorder.Body.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], `"code":410`) || !strings.Contains(lines[1], `"type":"ERROR"`) {
		t.Fatalf("stream = %q", lines)
	}
	if watch.Err() == nil {
		t.Fatal("the watch's context was not cancelled")
	}
}
