package main

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
)

// proxy forwards every request to the API server, unless faults says this one
// fails, and lets faults end watch streams.
type proxy struct {
	faults   *faults
	asAdmin  *httputil.ReverseProxy // for clients with a certificate: impersonated
	asBearer *httputil.ReverseProxy // for clients with a token: passed through
}

func newProxy(target *url.URL, pool *x509.CertPool, admin tls.Certificate) *proxy {
	reverse := func(certificates []tls.Certificate) *httputil.ReverseProxy {
		p := httputil.NewSingleHostReverseProxy(target)
		p.Transport = &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: certificates},
			// Watches stream: never buffer a response body.
			DisableCompression: true,
		}
		p.FlushInterval = -1
		return p
	}
	return &proxy{faults: newFaults(), asAdmin: reverse([]tls.Certificate{admin}), asBearer: reverse(nil)}
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p.faults.inject(w, r) {
		return
	}
	// Impersonation headers from the client itself are never trusted.
	for name := range r.Header {
		if strings.HasPrefix(strings.ToLower(name), "impersonate-") {
			r.Header.Del(name)
		}
	}
	forward := p.asBearer
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 && r.Header.Get("Authorization") == "" {
		subject := r.TLS.PeerCertificates[0].Subject
		r.Header.Set("Impersonate-User", subject.CommonName)
		for _, group := range subject.Organization {
			r.Header.Add("Impersonate-Group", group)
		}
		forward = p.asAdmin
	}
	if !isWatch(r) {
		forward.ServeHTTP(w, r)
		return
	}
	watch, end := p.faults.openWatch(r.Context(), w)
	defer end()
	defer func() {
		// A watch the faults ended makes the reverse proxy abort; end the
		// response cleanly instead, as the API server ends a watch.
		if recovered := recover(); recovered != nil && (recovered != http.ErrAbortHandler || watch.Err() == nil) {
			panic(recovered)
		}
	}()
	forward.ServeHTTP(watch.writer, r.WithContext(watch))
}

func isWatch(r *http.Request) bool {
	query := r.URL.Query()
	return query.Get("watch") == "true" || query.Get("watch") == "1" || strings.Contains(r.URL.Path, "/watch/")
}
