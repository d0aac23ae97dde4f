function main(data) { return "Hello, " + data.name; }
