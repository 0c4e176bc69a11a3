Console.WriteLine("comio");
