namespace Aggregator.Tests.Languages;

/// <summary>News stories written for these tests, one per language, each naming people, places and organisations.</summary>
public static class Stories
{
    public sealed record Written(string Language, string Title, string Text);

    public static readonly Written English = new("en", "Ministers meet in Geneva to revive ceasefire talks",
        "Foreign ministers from twelve countries met in Geneva on Tuesday to revive the stalled ceasefire talks. " +
        "Sergei Lavrov said the delegations had agreed on a timetable, and the United Nations will host the next round in the spring. " +
        "Officials in Washington said they were cautiously hopeful that the agreement would hold this time.");

    public static readonly Written German = new("de", "Bundesregierung einigt sich auf neuen Haushalt",
        "Nach wochenlangen Verhandlungen hat sich die Bundesregierung in Berlin auf einen Haushalt für das kommende Jahr geeinigt. " +
        "Finanzminister Christian Lindner sagte am Mittwoch, die Schuldenbremse werde eingehalten, und die Ausgaben für Bildung sollen steigen. " +
        "Die Opposition im Bundestag kritisierte die Pläne als unzureichend und kündigte Widerstand an.");

    public static readonly Written French = new("fr", "Le gouvernement présente sa réforme des retraites",
        "Le gouvernement a présenté mercredi à Paris un projet de loi sur les retraites, qui sera débattu à l'Assemblée nationale le mois prochain. " +
        "La Première ministre Élisabeth Borne a défendu un texte nécessaire, tandis que les syndicats appellent à une nouvelle journée de grève jeudi. " +
        "Selon un sondage publié par Le Monde, une majorité des Français reste opposée à la réforme.");

    public static readonly Written Spanish = new("es", "El Gobierno aprueba un plan contra el paro juvenil",
        "El Consejo de Ministros aprobó este martes en Madrid un plan para reducir el paro juvenil en las regiones del sur. " +
        "La ministra de Trabajo, Yolanda Díaz, explicó que las empresas que contraten a menores de treinta años recibirán ayudas durante dos años. " +
        "Los sindicatos celebraron la medida, aunque la patronal advirtió de que llega tarde y con poco presupuesto.");

    public static readonly Written Portuguese = new("pt", "Governo anuncia pacote para conter a inflação",
        "O presidente Luiz Inácio Lula da Silva anunciou nesta segunda-feira em Brasília um pacote de medidas para conter a inflação dos alimentos. " +
        "Segundo o ministro da Fazenda, Fernando Haddad, os impostos sobre a cesta básica serão reduzidos a partir do próximo mês. " +
        "Economistas ouvidos pela Folha de S.Paulo disseram que o efeito sobre os preços deve ser pequeno.");

    public static IEnumerable<Written> NotEnglish => [German, French, Spanish, Portuguese];
}
