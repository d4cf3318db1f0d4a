Console.WriteLine("edgelm");
