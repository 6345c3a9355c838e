package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/perspective-cloud/sdk/perspective"
)

// This file answers a listing over several clouds some of which failed:
// 200 with what the others answered (the body keeps its shape, seed 001's
// for the instances) and a header naming the clouds that did not answer.
// One bad cloud is never a 500; a listing none of whose clouds answered is
// the error of the first.

// failedCloudsHeader names the clouds a listing could not read, as a JSON
// object (failedClouds), on its 200 (and 304) answer.
const failedCloudsHeader = "Perspective-Failed-Clouds"

// Bounds of the header, so that it fits the response-header buffers of
// proxies (nginx's default is 4 KiB): at most maxFailedNamed clouds, each
// message cut to maxFailedMessage bytes; the others are counted.
const (
	maxFailedNamed   = 8
	maxFailedMessage = 160
)

// failedClouds is the value of failedCloudsHeader.
type failedClouds struct {
	// Clouds is how many clouds the listing covered; Answered how many
	// answered.
	Clouds   int `json:"clouds"`
	Answered int `json:"answered"`
	// Failed names the clouds that did not (at most maxFailedNamed);
	// Omitted counts the others.
	Failed  []failedCloud `json:"failed"`
	Omitted int           `json:"omitted,omitempty"`
}

// failedCloud is one cloud that did not answer, with the error's code
// (as in the API's error bodies) and message.
type failedCloud struct {
	CloudID     string `json:"cloudId"`
	ProjectID   string `json:"projectId,omitempty"`
	ProjectName string `json:"projectName,omitempty"`
	Region      string `json:"region,omitempty"`
	Code        string `json:"code"`
	Message     string `json:"message"`
}

// answered returns nil when err is nil, or when it is the partial failure
// of a read in which some cloud answered; it then sets failedCloudsHeader
// on w, for the caller to answer 200 with what the others answered. Any
// other error (none answered, a bad request) is returned as it is.
func answered(w http.ResponseWriter, err error) error {
	var pe *perspective.PartialError
	if err == nil || !errors.As(err, &pe) || pe.Answered() == 0 {
		return err
	}
	v := failedClouds{Clouds: pe.Clouds, Answered: pe.Answered(), Failed: []failedCloud{}}
	for i, f := range pe.Failed {
		if i == maxFailedNamed {
			v.Omitted = len(pe.Failed) - i
			break
		}
		_, code := statusOf(f.Err)
		v.Failed = append(v.Failed, failedCloud{CloudID: f.Target.CloudID, ProjectID: f.Target.ProjectID,
			ProjectName: f.ProjectName, Region: f.Target.Region, Code: code, Message: clip(f.Err.Error(), maxFailedMessage)})
	}
	b, jerr := json.Marshal(v)
	if jerr != nil {
		return err // cannot happen: strings and numbers only
	}
	w.Header().Set(failedCloudsHeader, asciiJSON(b))
	return nil
}

// asciiJSON escapes every non-ASCII character of a JSON text as \uXXXX
// (a surrogate pair beyond the BMP), so that a header carries it intact:
// browsers read header bytes as Latin-1. json.Marshal already escapes
// control characters, so no CR or LF is left.
func asciiJSON(b []byte) string {
	var out strings.Builder
	for _, r := range string(b) {
		if r < 0x80 {
			out.WriteRune(r)
			continue
		}
		for _, u := range utf16.Encode([]rune{r}) {
			out.WriteString(`\u`)
			s := strconv.FormatUint(uint64(u), 16)
			out.WriteString(strings.Repeat("0", 4-len(s)) + s)
		}
	}
	return out.String()
}
