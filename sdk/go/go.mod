module github.com/pulsehr/pulsehr-go

go 1.19
