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
	return jsonHandler(func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		ks, err := d.set.Keypairs().In(keypairTarget(r)).List(r.Context())
		if err = answered(w, err); err != nil {
			return 0, nil, err
		}
		if ks == nil {
			ks = []perspective.Keypair{}
		}
		return http.StatusOK, ks, nil
	})
}

// handleAddKeypair serves POST /keypairs: {"name": …, "publicKey": …}. An
// empty publicKey has the cloud generate one: its private key is in the
// answer, this once.
func handleAddKeypair(d *deps) http.Handler {
	return jsonHandler(func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		req, err := decode[keypairRequest](w, r)
		if err != nil {
			return 0, nil, err
		}
		if err := d.createTarget("keypair "+shortQuote(req.Name), keypairTarget(r)); err != nil {
			return 0, nil, err
		}
		k, err := d.set.Keypairs().In(keypairTarget(r)).Create(r.Context(),
			perspective.KeypairSpec{Name: req.Name, PublicKey: req.PublicKey})
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", "/keypairs/"+k.Name)
		return http.StatusCreated, k, nil
	})
}

// handleDeleteKeypair serves DELETE /keypairs/{name}: 204 when deleted.
func handleDeleteKeypair(d *deps) http.Handler {
	return jsonHandler(func(_ http.ResponseWriter, r *http.Request) (int, any, error) {
		_, err := d.set.Keypairs().In(keypairTarget(r)).Delete(r.Context(), r.PathValue("name"))
		if err != nil {
			return 0, nil, err
		}
		return http.StatusNoContent, nil, nil
	})
}
