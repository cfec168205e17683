namespace Aggregator.Cli.Demo;

/// <summary>One sample story: its feed item and the article page it links to.</summary>
public sealed record DemoStory(string Slug, string Title, string Reporter, double HoursAgo, string Summary, string[] Paragraphs);

/// <summary>A sample feed, served in <see cref="Format"/>.</summary>
public sealed record DemoFeed(string Path, string Title, DemoFormat Format, DemoStory[] Stories);

public enum DemoFormat { Rss, Atom, JsonFeed }

/// <summary>
/// The demo's sample news, written for this project: real places and institutions, invented people and events, so that
/// the tagger has persons, locations and organisations to find and stories share some of them (co-occurrences, trends).
/// </summary>
public static class DemoContent
{
    public const string Notice = "Sample stories written for the Aggregator demo. The people and events in them are invented.";

    public static readonly DemoFeed[] Feeds =
    [
        new("/feeds/world.xml", "Demo World Desk", DemoFormat.Rss,
        [
            new("rotterdam-flood-defences", "Flood defences hold in Rotterdam as storm passes", "Lotte Jansen", 2,
                "The Maeslant barrier closed overnight for the first time this season.",
                [
                    "Rotterdam's storm surge barrier closed overnight as a North Sea storm pushed water levels in the port to their highest this year, and the city's dykes held without damage.",
                    "Pieter de Graaf, a spokesman for Rijkswaterstaat, the Dutch water authority, said the Maeslant barrier had been shut for eleven hours. \"The system did what it was built to do,\" he said in Rotterdam on Tuesday.",
                    "Shipping in the Port of Rotterdam resumed by midday. Authorities in Antwerp and Hamburg reported minor flooding of quays but no injuries.",
                ]),
            new("nairobi-mombasa-freight", "Kenya opens freight terminal linking Nairobi to Mombasa port", "David Otieno", 5,
                "A new inland terminal is meant to cut lorry traffic on the Nairobi highway.",
                [
                    "Kenya opened a freight terminal outside Nairobi on Monday that will load containers arriving by rail from the port of Mombasa directly onto trucks bound for Uganda and Rwanda.",
                    "Transport Minister Grace Wanjiru said the terminal would take about 400 lorries a day off the Mombasa road. Kenya Railways will run six extra freight trains a week from next month.",
                    "Business groups in Kampala welcomed the move but said customs checks at the border remained the main cause of delays.",
                ]),
            new("andes-glacier-data", "Chile and Argentina agree to share data on Andean glaciers", "Camila Rojas", 9,
                "Scientists in Santiago and Mendoza will pool measurements from 40 monitoring stations.",
                [
                    "Chile and Argentina signed an agreement in Santiago on Wednesday to share measurements from glacier monitoring stations on both sides of the Andes.",
                    "Researchers at the University of Chile and Argentina's National Scientific and Technical Research Council will publish the combined data every month. Glaciologist Martín Sosa said the glaciers feeding rivers around Mendoza had lost a fifth of their area in thirty years.",
                    "Water companies in Santiago said the figures would help them plan for drier summers.",
                ]),
            new("tokyo-night-buses", "Tokyo extends night bus trial after strong demand", "Kenji Watanabe", 20,
                "Late-night services between Shinjuku and Shibuya will run until the end of March.",
                [
                    "The Tokyo Metropolitan Government said on Friday it would extend a trial of night buses linking Shinjuku, Shibuya and Ikebukuro until the end of March.",
                    "Officials said more than 90,000 passengers had used the services since October, many of them hospital and restaurant workers. Yuki Tanaka, who heads the city's transport bureau, said permanent routes would be considered in the spring budget.",
                    "Osaka and Nagoya have asked Tokyo for the trial's results before planning services of their own.",
                ]),
        ]),
        new("/feeds/europe.atom", "Demo Europe Wire", DemoFormat.Atom,
        [
            new("eu-ebike-chargers", "European Commission proposes common chargers for e-bikes", "Helena Varga", 3,
                "Brussels wants one plug for electric bicycles sold in the European Union from 2029.",
                [
                    "The European Commission proposed on Thursday that every electric bicycle sold in the European Union use the same charging plug from 2029, extending rules that already apply to phones.",
                    "Commission officials in Brussels said the change would save buyers about 60 euros each. Manufacturers in Germany and the Netherlands said they needed more time, while consumer groups in Poland welcomed the proposal.",
                    "The plan now goes to the European Parliament and to national governments.",
                ]),
            new("lisbon-fishing-talks", "Lisbon hosts talks on Atlantic fishing quotas", "Tomás Ferreira", 7,
                "Portugal, Spain, France and Ireland are trying to agree sardine and mackerel catches.",
                [
                    "Fisheries ministers from Portugal, Spain, France and Ireland met in Lisbon on Monday to try to agree next year's catches of sardine and mackerel in the Atlantic.",
                    "Portuguese minister Inês Carvalho said scientists' advice to cut the mackerel quota by a tenth was hard for coastal towns to accept. The European Commission will present its own proposal in Brussels next week.",
                    "Fishing associations in Galicia and Brittany held a protest outside the meeting.",
                ]),
            new("vienna-danube-bridge", "Vienna's Reichsbrücke to close for six weeks of repairs", "Anna Berger", 30,
                "Trams will be diverted while engineers replace expansion joints.",
                [
                    "Vienna will close the Reichsbrücke over the Danube to cars for six weeks from March so that engineers can replace its expansion joints, the city council said.",
                    "Underground line U1, which crosses the river inside the bridge, will keep running. Deputy mayor Stefan Huber said the work could not wait another winter.",
                    "Drivers from Lower Austria are advised to use the bridges at Floridsdorf instead.",
                ]),
        ]),
        new("/feeds/science.json", "Demo Science & Health", DemoFormat.JsonFeed,
        [
            new("who-heat-survey", "World Health Organization surveys heat illness in fast-growing cities", "Amina Yusuf", 4,
                "Hospitals in Lagos, Karachi and Manila will report heat-related admissions every week.",
                [
                    "The World Health Organization launched a survey in Geneva on Tuesday of how heat waves affect hospital admissions in fast-growing cities, starting with Lagos, Karachi and Manila.",
                    "Dr Amina Yusuf, who leads the project, said cities had reliable temperature records but little data on who falls ill. Hospitals will report admissions every week for two years.",
                    "The Red Cross said the findings would help it decide where to open cooling centres.",
                ]),
            new("la-palma-comet", "Astronomers on La Palma see comet brightening faster than expected", "Lucía Hernández", 12,
                "The comet may be visible from Spain with binoculars in February.",
                [
                    "Astronomers at the Roque de los Muchachos Observatory on La Palma said a comet discovered in the autumn had brightened far faster than forecast as it nears the Sun.",
                    "Lucía Hernández of the Instituto de Astrofísica de Canarias said it could be seen from Spain with binoculars in February. The European Space Agency has asked observatories in Chile to follow it as well.",
                    "Comets that brighten quickly sometimes break apart, she added, so the forecast remained uncertain.",
                ]),
            new("bergen-seaweed-feed", "Norwegian researchers test seaweed feed to cut methane from cattle", "Ingrid Solberg", 26,
                "A farm trial near Bergen found a fifth less methane with no loss of milk.",
                [
                    "Researchers at the University of Bergen said a year-long trial on farms in western Norway had cut the methane released by dairy cattle by a fifth by adding dried seaweed to their feed.",
                    "Ingrid Solberg, who led the trial, said milk yields were unchanged. Farmers in Denmark and Iceland will join a larger trial next year, funded by the Research Council of Norway.",
                    "Seaweed growers in Bergen said they could supply the feed within two years if demand grew.",
                ]),
        ]),
    ];
}
