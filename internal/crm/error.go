// Package crm holds tili's domain: the records an account manager works with, their rules, and the one
// error type every layer speaks. It does no I/O.
package crm

import (
	"errors"
	"fmt"
)

// Code classifies an Error; the HTTP layer maps each code to one status in one table.
type Code string

const (
	Invalid  Code = "invalid"
	NotFound Code = "not_found"
	Conflict Code = "conflict"
	// Stale: the record changed since the version the caller read; nothing was saved.
	Stale           Code = "stale"
	Forbidden       Code = "forbidden"
	Unauthenticated Code = "unauthenticated"
	// Duplicate: the value (a business ID, an e-mail address) belongs to another live record; Field
	// names the input and Message the other record.
	Duplicate Code = "duplicate"
	// TooManyRequests: the caller must wait before trying again.
	TooManyRequests Code = "too_many_requests"
)

// Error is an error a user can act on: Message is shown as is (in English), Field names the input it
// concerns. The format and arguments it was made from let a user interface say it in another language.
type Error struct {
	Code    Code   `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	format  string
	args    []any
}

// Template returns the format and the arguments the message was made from; an Error built as a literal
// returns its message and no arguments.
func (e *Error) Template() (string, []any) {
	if e.format == "" {
		return e.Message, nil
	}
	return e.format, e.args
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// Errorf builds an Error without a field.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), format: format, args: args}
}

// FieldError builds an Invalid error about one input field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Message: fmt.Sprintf(format, args...), format: format, args: args}
}

// FieldErrorf builds an Error of any code about one input field, such as a Duplicate.
func FieldErrorf(code Code, field, format string, args ...any) *Error {
	e := FieldError(field, format, args...)
	e.Code = code
	return e
}

// CodeOf returns the Code of err, or "" for an internal error that must not be shown to users.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// AsError returns err as an *Error when it is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
