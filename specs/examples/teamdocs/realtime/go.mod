module teamdocs.example/realtime

go 1.19
