module github.com/eksforge/eksforge

go 1.26
