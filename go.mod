module github.com/rxsse/rxsse

go 1.26.0
