module example.com/shipgatefixture

go 1.19
