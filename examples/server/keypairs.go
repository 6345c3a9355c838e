package main

import (
	"net/http"

	"github.com/perspective-cloud/sdk/perspective"
)

// keypairTarget narrows the keypair routes with ?cloud=, ?project= and
// ?region=, which a multi-cloud server needs to know where to add a key.
func keypairTarget(r *http.Request) perspective.Target {
	q := r.URL.Query()
	return perspective.Target{CloudID: q.Get("cloud"), ProjectID: q.Get("project"), Region: q.Get("region")}
}

// handleListKeypairs serves GET /keypairs.
func handleListKeypairs(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ks, err := d.set.Keypairs().In(keypairTarget(r)).List(r.Context())
		if err != nil {
			writeError(w, err)
			return
		}
		if ks == nil {
			ks = []perspective.Keypair{}
		}
		encode(w, http.StatusOK, ks)
	})
}

// handleAddKeypair serves POST /keypairs: {"name": …, "publicKey": …}. An
// empty publicKey has the cloud generate one: its private key is in the
// answer, this once.
func handleAddKeypair(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := decode[keypairRequest](w, r)
		if err != nil {
			writeError(w, err)
			return
		}
		k, err := d.set.Keypairs().In(keypairTarget(r)).Create(r.Context(),
			perspective.KeypairSpec{Name: req.Name, PublicKey: req.PublicKey})
		if err != nil {
			writeError(w, err)
			return
		}
		w.Header().Set("Location", "/keypairs/"+k.Name)
		encode(w, http.StatusCreated, k)
	})
}

// handleDeleteKeypair serves DELETE /keypairs/{name}: 204 when deleted.
func handleDeleteKeypair(d *deps) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := d.set.Keypairs().In(keypairTarget(r)).Delete(r.Context(), r.PathValue("name"))
		if err != nil {
			writeError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}
