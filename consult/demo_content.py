"""Demo data: a community-safety pilot in a fictional coastal transit town, in four languages."""

#: Organisations: (slug, name, kind)
#: with kind one of "civil_society", "local_council", "planning_agency".
ORGANISATIONS = [
    ("coastal-voices", "Coastal Voices Network", "civil_society"),
    ("port-amani-council", "Port Amani Town Council", "local_council"),
    ("crime-prevention-agency", "National Crime Prevention Agency", "planning_agency"),
]

#: Consultations; each maps field -> {language: text}; sections are ordered.
#: Body texts are plain text; paragraphs are separated by a blank line.
CONSULTATIONS = [
    # Open: the flagship consultation, complete in four languages.
    {
        "slug": "safer-port-amani",
        "host": "coastal-voices",
        "partners": ["port-amani-council"],
        "state": "open",
        "opens_in_days": -14,
        "closes_in_days": 30,
        "moderation_mode": "post",
        "participation_mode": "anonymous",
        "default_language": "en",
        "languages": ["en", "fr", "es", "ar"],
        "texts": {
            "title": {
                "en": "Community safety pilot for Port Amani",
                "fr": "Projet pilote de sécurité communautaire pour Port Amani",
                "es": "Programa piloto de seguridad comunitaria para Port Amani",
                "ar": "مشروع تجريبي للسلامة المجتمعية في بورت أماني",
            },
            "summary": {
                "en": (
                    "An 18-month pilot to protect traders and young people in Port Amani from "
                    "extortion and from recruitment by smuggling networks. Tell us what you "
                    "think before anything is decided."
                ),
                "fr": (
                    "Un projet pilote de 18 mois pour protéger les commerçants et les jeunes "
                    "de Port Amani contre le racket et le recrutement par les réseaux de "
                    "contrebande. Donnez-nous votre avis avant toute décision."
                ),
                "es": (
                    "Un programa piloto de 18 meses para proteger a los comerciantes y a los "
                    "jóvenes de Port Amani frente a la extorsión y el reclutamiento por parte "
                    "de las redes de contrabando. Díganos qué opina antes de que se tome "
                    "cualquier decisión."
                ),
                "ar": (
                    "مشروع تجريبي مدته ثمانية عشر شهرًا لحماية التجار والشباب في بورت أماني "
                    "من الابتزاز ومن محاولات شبكات التهريب تجنيدهم. شاركونا آراءكم قبل اتخاذ "
                    "أي قرار."
                ),
            },
            "body": {
                "en": (
                    "Coastal Voices Network and Port Amani Town Council propose an 18-month "
                    "community safety pilot around the port and the bus station. It combines "
                    "community liaison officers, safe transit points, jobs for young people "
                    "and a confidential reporting line, all under independent oversight.\n\n"
                    "Nothing has been decided yet. The project team will read every comment, "
                    "and when the consultation closes it will publish a summary of what "
                    "people said and of how the proposal changed as a result.\n\n"
                    "Responses are anonymous. You do not need an account, we do not ask for "
                    "your name, and no IP addresses are stored. Please do not include names "
                    "or details that could identify you or anyone else."
                ),
                "fr": (
                    "Coastal Voices Network et le conseil municipal de Port Amani proposent "
                    "un projet pilote de sécurité communautaire de 18 mois autour du port et "
                    "de la gare routière. Il associe des agents de liaison communautaire, des "
                    "points de passage sûrs, des emplois pour les jeunes et une ligne de "
                    "signalement confidentielle, le tout sous un contrôle indépendant.\n\n"
                    "Rien n'est encore décidé. L'équipe du projet lira chaque commentaire et, "
                    "à la clôture de la consultation, publiera une synthèse de ce qui a été "
                    "dit et des modifications apportées à la proposition en conséquence.\n\n"
                    "Les réponses sont anonymes. Aucun compte n'est nécessaire, nous ne vous "
                    "demandons pas votre nom et aucune adresse IP n'est conservée. Merci de "
                    "n'indiquer ni noms ni détails permettant de vous identifier ou "
                    "d'identifier d'autres personnes."
                ),
                "es": (
                    "Coastal Voices Network y el Ayuntamiento de Port Amani proponen un "
                    "programa piloto de seguridad comunitaria de 18 meses en torno al puerto "
                    "y la estación de autobuses. Combina agentes de enlace comunitario, "
                    "puntos de tránsito seguro, empleo para jóvenes y una línea de denuncia "
                    "confidencial, todo ello bajo supervisión independiente.\n\n"
                    "Todavía no se ha decidido nada. El equipo del proyecto leerá todos los "
                    "comentarios y, al cierre de la consulta, publicará un resumen de lo que "
                    "se dijo y de cómo cambió la propuesta en consecuencia.\n\n"
                    "Las respuestas son anónimas. No necesita una cuenta, no le pedimos su "
                    "nombre y no se guarda ninguna dirección IP. Por favor, no incluya "
                    "nombres ni datos que puedan identificarle a usted o a otras personas."
                ),
                "ar": (
                    "تقترح شبكة أصوات الساحل والمجلس البلدي لبورت أماني مشروعًا تجريبيًا "
                    "للسلامة المجتمعية مدته ثمانية عشر شهرًا، يشمل محيط الميناء ومحطة "
                    "الحافلات. ويجمع المشروع بين مسؤولي التواصل المجتمعي، ونقاط العبور "
                    "الآمنة، وفرص العمل للشباب، وخط إبلاغ سري، وذلك كله تحت رقابة مستقلة.\n\n"
                    "لم يُتخذ أي قرار بعد. سيقرأ فريق المشروع كل تعليق، وعند انتهاء الاستشارة "
                    "سينشر ملخصًا لما قاله المشاركون وللتعديلات التي أُدخلت على المقترح بناءً "
                    "على ذلك.\n\n"
                    "الردود مجهولة الهوية، فلا حاجة إلى إنشاء حساب، ولن نسألكم عن أسمائكم، "
                    "ولا نحتفظ بأي عناوين IP. نرجو ألا تذكروا أسماء أو تفاصيل قد تكشف هويتكم "
                    "أو هوية غيركم."
                ),
            },
        },
        "sections": [
            {
                "title": {
                    "en": "Why a pilot, and why now",
                    "fr": "Pourquoi un projet pilote, et pourquoi maintenant",
                    "es": "Por qué un programa piloto, y por qué ahora",
                    "ar": "لماذا مشروع تجريبي، ولماذا الآن؟",
                },
                "body": {
                    "en": (
                        "Port Amani sits on a busy cross-border trade route. Its port and bus "
                        "station bring work and visitors, but they also attract smuggling "
                        "networks. Over the past two years, traders at the bus station have "
                        "told local groups about regular demands for “protection” payments, "
                        "and many say they are afraid to refuse or to report them.\n\n"
                        "At the same time, teenagers are being recruited as couriers to carry "
                        "packages across the border or between buses, often for small sums at "
                        "first. Once involved, they find it hard to get out, and some have "
                        "been threatened or hurt.\n\n"
                        "A pilot lets us test a small set of measures for a limited time, "
                        "measure what works and stop what does not. It would run for 18 "
                        "months; the results would then be published and put to the community "
                        "again before any decision to continue."
                    ),
                    "fr": (
                        "Port Amani se trouve sur une route commerciale transfrontalière très "
                        "fréquentée. Son port et sa gare routière apportent du travail et des "
                        "visiteurs, mais ils attirent aussi les réseaux de contrebande. "
                        "Depuis deux ans, des commerçants de la gare routière font état "
                        "auprès des associations locales de demandes régulières de paiements "
                        "de « protection », et beaucoup disent avoir peur de refuser ou de "
                        "porter plainte.\n\n"
                        "Dans le même temps, des adolescents sont recrutés comme coursiers "
                        "pour transporter des colis de l'autre côté de la frontière ou d'un "
                        "car à l'autre, souvent pour de petites sommes au départ. Une fois "
                        "pris dans l'engrenage, ils ont du mal à en sortir, et certains ont "
                        "été menacés ou blessés.\n\n"
                        "Un projet pilote permet de tester un petit nombre de mesures pendant "
                        "une durée limitée, de mesurer ce qui fonctionne et d'arrêter ce qui "
                        "ne fonctionne pas. Il durerait 18 mois ; ses résultats seraient "
                        "ensuite publiés et soumis de nouveau à la population avant toute "
                        "décision sur sa poursuite."
                    ),
                    "es": (
                        "Port Amani se encuentra en una concurrida ruta comercial "
                        "transfronteriza. Su puerto y su estación de autobuses traen trabajo "
                        "y visitantes, pero también atraen a las redes de contrabando. En los "
                        "últimos dos años, comerciantes de la estación han contado a "
                        "organizaciones locales que reciben exigencias periódicas de pagos de "
                        "«protección», y muchos dicen tener miedo de negarse o de "
                        "denunciarlo.\n\n"
                        "Al mismo tiempo, se recluta a adolescentes como mensajeros para "
                        "llevar paquetes al otro lado de la frontera o de un autobús a otro, "
                        "a menudo por pequeñas sumas al principio. Una vez dentro, les cuesta "
                        "salir, y algunos han sido amenazados o heridos.\n\n"
                        "Un programa piloto permite probar un conjunto reducido de medidas "
                        "durante un tiempo limitado, medir lo que funciona y abandonar lo que "
                        "no. Duraría 18 meses; después se publicarían los resultados y se "
                        "volvería a consultar a la comunidad antes de decidir si continúa."
                    ),
                    "ar": (
                        "تقع بورت أماني على طريق تجاري عابر للحدود يشهد حركة كثيفة. ويوفر "
                        "ميناؤها ومحطة حافلاتها فرص عمل ويجذبان الزوار، لكنهما يجذبان أيضًا "
                        "شبكات التهريب. وعلى مدى العامين الماضيين، أفاد تجار في محطة الحافلات "
                        "جمعياتٍ محلية بأنهم يتعرضون لمطالبات متكررة بدفع إتاوات مقابل "
                        "«الحماية»، ويقول كثيرون منهم إنهم يخشون الرفض أو الإبلاغ.\n\n"
                        "وفي الوقت نفسه، يُجنَّد مراهقون سعاةً لنقل الطرود عبر الحدود أو من "
                        "حافلة إلى أخرى، مقابل مبالغ زهيدة في البداية في أغلب الأحيان. وما إن "
                        "يتورطوا حتى يصعب عليهم الخروج، وقد تعرّض بعضهم للتهديد أو الأذى.\n\n"
                        "يتيح المشروع التجريبي اختبار عدد محدود من التدابير لفترة محددة، "
                        "وقياس ما ينجح منها والتخلي عمّا لا ينجح. وستكون مدته ثمانية عشر "
                        "شهرًا، تُنشر بعدها النتائج ويُعاد طرح الأمر على المجتمع قبل اتخاذ أي "
                        "قرار بشأن الاستمرار."
                    ),
                },
            },
            {
                "title": {
                    "en": "Community liaison officers and safe transit points",
                    "fr": "Agents de liaison communautaire et points de passage sûrs",
                    "es": "Agentes de enlace comunitario y puntos de tránsito seguro",
                    "ar": "مسؤولو التواصل المجتمعي ونقاط العبور الآمنة",
                },
                "body": {
                    "en": (
                        "The pilot would fund four community liaison officers, recruited "
                        "locally and trained in mediation and first aid. They would not be "
                        "police officers and would carry no weapons. Their job would be to be "
                        "present at the bus station and the port gates at busy times, know "
                        "the traders by name, and help people who feel threatened to find "
                        "support.\n\n"
                        "Three safe transit points would be set up: at the bus station, at "
                        "the ferry terminal and at the market entrance. Each would be a "
                        "staffed, well-lit space, open from early morning until the last bus, "
                        "where anyone, especially young people travelling alone, can wait, "
                        "charge a phone or ask for help.\n\n"
                        "We would like to know whether these are the right places, what "
                        "opening hours would suit you, and what would make you comfortable "
                        "using them."
                    ),
                    "fr": (
                        "Le projet financerait quatre agents de liaison communautaire, "
                        "recrutés sur place et formés à la médiation et aux premiers secours. "
                        "Ils ne seraient pas policiers et ne porteraient pas d'armes. Leur "
                        "rôle serait d'être présents à la gare routière et aux entrées du "
                        "port aux heures d'affluence, de connaître les commerçants par leur "
                        "nom et d'aider les personnes qui se sentent menacées à trouver du "
                        "soutien.\n\n"
                        "Trois points de passage sûrs seraient aménagés : à la gare routière, "
                        "au terminal des ferries et à l'entrée du marché. Chacun serait un "
                        "lieu bien éclairé, doté de personnel, ouvert du petit matin jusqu'au "
                        "dernier car, où chacun, en particulier les jeunes qui voyagent "
                        "seuls, pourrait attendre, recharger son téléphone ou demander de "
                        "l'aide.\n\n"
                        "Nous aimerions savoir si ces emplacements sont les bons, quels "
                        "horaires d'ouverture vous conviendraient et ce qui vous mettrait à "
                        "l'aise pour les utiliser."
                    ),
                    "es": (
                        "El programa financiaría a cuatro agentes de enlace comunitario, "
                        "contratados en la zona y formados en mediación y primeros auxilios. "
                        "No serían policías ni portarían armas. Su labor sería estar "
                        "presentes en la estación de autobuses y en los accesos al puerto en "
                        "las horas de mayor afluencia, conocer a los comerciantes por su "
                        "nombre y ayudar a quien se sienta amenazado a encontrar apoyo.\n\n"
                        "Se habilitarían tres puntos de tránsito seguro: en la estación de "
                        "autobuses, en la terminal de ferris y en la entrada del mercado. "
                        "Cada uno sería un espacio bien iluminado y atendido por personal, "
                        "abierto desde primera hora de la mañana hasta el último autobús, "
                        "donde cualquiera, especialmente los jóvenes que viajan solos, pueda "
                        "esperar, cargar el teléfono o pedir ayuda.\n\n"
                        "Queremos saber si estos lugares son los adecuados, qué horario le "
                        "vendría mejor y qué haría que se sintiera cómodo utilizándolos."
                    ),
                    "ar": (
                        "سيموّل المشروع أربعة مسؤولين للتواصل المجتمعي، يُعيَّنون من أبناء "
                        "المنطقة ويتلقون تدريبًا على الوساطة والإسعافات الأولية. ولن يكونوا "
                        "من أفراد الشرطة ولن يحملوا أي سلاح. وتتمثل مهمتهم في التواجد في محطة "
                        "الحافلات وعند بوابات الميناء في أوقات الذروة، ومعرفة التجار "
                        "بأسمائهم، ومساعدة من يشعرون بالتهديد على الوصول إلى الدعم.\n\n"
                        "وستُقام ثلاث نقاط عبور آمنة: في محطة الحافلات، وفي محطة العبّارات، "
                        "وعند مدخل السوق. وستكون كل نقطة مكانًا جيد الإضاءة يعمل فيه موظفون، "
                        "يفتح أبوابه من الصباح الباكر حتى موعد آخر حافلة، ويمكن لأي شخص، ولا "
                        "سيما الشباب الذين يسافرون بمفردهم، أن ينتظر فيه أو يشحن هاتفه أو "
                        "يطلب المساعدة.\n\n"
                        "نودّ أن نعرف هل هذه المواقع مناسبة، وما مواعيد العمل التي تلائمكم، "
                        "وما الذي يجعلكم تشعرون بالارتياح عند استخدامها."
                    ),
                },
            },
            {
                "title": {
                    "en": "Youth jobs and outreach",
                    "fr": "Emplois et accompagnement des jeunes",
                    "es": "Empleo juvenil y trabajo de calle con jóvenes",
                    "ar": "فرص عمل للشباب والتواصل الميداني معهم",
                },
                "body": {
                    "en": (
                        "Young people are targeted because they need money and have few other "
                        "options. The pilot would create 40 paid apprenticeships a year with "
                        "the port authority and local businesses, in areas such as cargo "
                        "handling, boat maintenance, logistics and refrigeration. Apprentices "
                        "would be paid from the first day and mentored by experienced "
                        "workers.\n\n"
                        "Outreach workers would also run free sports evenings twice a week at "
                        "the harbour sports ground, open to anyone aged 14 to 24. These "
                        "evenings are a chance to meet trusted adults, hear about training "
                        "and jobs, and talk about pressure from recruiters without being "
                        "judged.\n\n"
                        "Tell us which trades interest the young people in your family or "
                        "neighbourhood, and what might stop them from taking part."
                    ),
                    "fr": (
                        "Les jeunes sont ciblés parce qu'ils ont besoin d'argent et n'ont "
                        "guère d'autres possibilités. Le projet créerait chaque année 40 "
                        "apprentissages rémunérés avec l'autorité portuaire et des "
                        "entreprises locales, dans des domaines comme la manutention, "
                        "l'entretien des bateaux, la logistique ou la réfrigération. Les "
                        "apprentis seraient payés dès le premier jour et encadrés par des "
                        "travailleurs expérimentés.\n\n"
                        "Des animateurs de proximité organiseraient aussi deux soirées "
                        "sportives gratuites par semaine au terrain de sport du port, "
                        "ouvertes à tous les jeunes de 14 à 24 ans. Ces soirées sont "
                        "l'occasion de rencontrer des adultes de confiance, de s'informer sur "
                        "les formations et les emplois, et de parler sans être jugé des "
                        "pressions exercées par les recruteurs.\n\n"
                        "Dites-nous quels métiers intéressent les jeunes de votre famille ou "
                        "de votre quartier, et ce qui pourrait les empêcher de participer."
                    ),
                    "es": (
                        "Los jóvenes son el blanco porque necesitan dinero y tienen pocas "
                        "alternativas. El programa crearía cada año 40 plazas de aprendiz "
                        "remuneradas con la autoridad portuaria y empresas locales, en áreas "
                        "como la carga y descarga, el mantenimiento de embarcaciones, la "
                        "logística o la refrigeración. Los aprendices cobrarían desde el "
                        "primer día y contarían con la tutoría de trabajadores con "
                        "experiencia.\n\n"
                        "Además, educadores de calle organizarían dos veladas deportivas "
                        "gratuitas por semana en el campo de deportes del puerto, abiertas a "
                        "cualquier persona de 14 a 24 años. Estas veladas son una ocasión "
                        "para conocer a adultos de confianza, informarse sobre formación y "
                        "empleo, y hablar de la presión de los reclutadores sin sentirse "
                        "juzgado.\n\n"
                        "Cuéntenos qué oficios interesan a los jóvenes de su familia o de su "
                        "barrio, y qué podría impedirles participar."
                    ),
                    "ar": (
                        "يُستهدف الشباب لأنهم بحاجة إلى المال ولا يملكون سوى خيارات قليلة. "
                        "وسيوفر المشروع كل عام أربعين فرصة تدريب مهني مدفوعة الأجر بالتعاون "
                        "مع سلطة الميناء والشركات المحلية، في مجالات مثل مناولة البضائع "
                        "وصيانة القوارب والخدمات اللوجستية والتبريد. وسيتقاضى المتدربون أجرًا "
                        "منذ اليوم الأول، ويشرف عليهم عمال ذوو خبرة.\n\n"
                        "كما سينظم عاملون ميدانيون أمسيات رياضية مجانية مرتين في الأسبوع في "
                        "الملعب الرياضي بالميناء، مفتوحة لكل من تتراوح أعمارهم بين 14 و24 "
                        "عامًا. وتتيح هذه الأمسيات فرصة للقاء بالغين موثوقين، والاطلاع على "
                        "فرص التدريب والعمل، والحديث عن الضغوط التي يمارسها المجنِّدون دون "
                        "خوف من أن يُحكم عليهم.\n\n"
                        "أخبرونا بالمهن التي تستهوي الشباب في عائلتكم أو حيّكم، وبما قد "
                        "يمنعهم من المشاركة."
                    ),
                },
            },
            {
                "title": {
                    "en": "A confidential reporting line",
                    "fr": "Une ligne de signalement confidentielle",
                    "es": "Una línea de denuncia confidencial",
                    "ar": "خط إبلاغ سري",
                },
                "body": {
                    "en": (
                        "Many people do not report extortion or recruitment because they fear "
                        "being identified. The pilot would set up a free, anonymous telephone "
                        "and text line, run by Coastal Voices Network, not by the police. "
                        "Callers would not be asked for their name, and numbers would not be "
                        "recorded.\n\n"
                        "Trained staff would listen, offer practical support and explain the "
                        "options. Information would only be passed to the police if the "
                        "caller agrees, or if someone's life is in immediate danger. Patterns "
                        "across many reports, with no personal details, would help the "
                        "oversight board see where problems are growing.\n\n"
                        "Would you use a line like this? What would make you trust it, and "
                        "which languages and hours should it cover?"
                    ),
                    "fr": (
                        "Beaucoup de personnes ne signalent ni le racket ni le recrutement, "
                        "par peur d'être identifiées. Le projet mettrait en place une ligne "
                        "gratuite et anonyme, par téléphone et par SMS, gérée par Coastal "
                        "Voices Network et non par la police. Aucun nom ne serait demandé aux "
                        "appelants et les numéros ne seraient pas enregistrés.\n\n"
                        "Des écoutants formés accueilleraient les appels, apporteraient une "
                        "aide concrète et expliqueraient les options possibles. Les "
                        "informations ne seraient transmises à la police qu'avec l'accord de "
                        "l'appelant, ou si la vie d'une personne est en danger immédiat. Les "
                        "tendances observées sur l'ensemble des signalements, sans aucune "
                        "donnée personnelle, aideraient le comité de contrôle à repérer les "
                        "problèmes qui s'aggravent.\n\n"
                        "Utiliseriez-vous une telle ligne ? Qu'est-ce qui vous inspirerait "
                        "confiance, et dans quelles langues et à quelles heures devrait-elle "
                        "fonctionner ?"
                    ),
                    "es": (
                        "Muchas personas no denuncian la extorsión ni el reclutamiento por "
                        "miedo a ser identificadas. El programa pondría en marcha una línea "
                        "gratuita y anónima de teléfono y mensajes de texto, gestionada por "
                        "Coastal Voices Network y no por la policía. No se pediría el nombre "
                        "a quien llame y no se registrarían los números.\n\n"
                        "Personal formado escucharía, ofrecería apoyo práctico y explicaría "
                        "las opciones disponibles. La información solo se trasladaría a la "
                        "policía con el consentimiento de quien llama o si la vida de alguien "
                        "corre peligro inmediato. Las tendencias observadas en el conjunto de "
                        "las denuncias, sin datos personales, ayudarían al consejo de "
                        "supervisión a detectar dónde se agravan los problemas.\n\n"
                        "¿Usaría una línea así? ¿Qué le haría confiar en ella, y en qué "
                        "idiomas y horarios debería funcionar?"
                    ),
                    "ar": (
                        "لا يبلّغ كثيرون عن الابتزاز أو التجنيد خوفًا من انكشاف هويتهم. لذا "
                        "سيُنشئ المشروع خطًا مجانيًا مجهول الهوية للاتصال والرسائل النصية، "
                        "تديره شبكة أصوات الساحل لا الشرطة. ولن يُطلب من المتصلين ذكر "
                        "أسمائهم، ولن تُسجَّل أرقامهم.\n\n"
                        "وسيتولى موظفون مدرَّبون الاستماع إلى المتصلين وتقديم الدعم العملي "
                        "وشرح الخيارات المتاحة. ولن تُحال أي معلومات إلى الشرطة إلا بموافقة "
                        "المتصل، أو إذا كانت حياة أحد في خطر داهم. أما الأنماط المستخلصة من "
                        "مجموع البلاغات، دون أي بيانات شخصية، فستساعد مجلس الرقابة على تحديد "
                        "المواضع التي تتفاقم فيها المشكلات.\n\n"
                        "هل ستستخدمون خطًا كهذا؟ وما الذي يجعلكم تثقون به؟ وبأي لغات وفي أي "
                        "ساعات ينبغي أن يعمل؟"
                    ),
                },
            },
            {
                "title": {
                    "en": "Oversight, data and your safety",
                    "fr": "Contrôle, données et votre sécurité",
                    "es": "Supervisión, datos y su seguridad",
                    "ar": "الرقابة والبيانات وسلامتكم",
                },
                "body": {
                    "en": (
                        "An independent oversight board would follow the pilot from start to "
                        "finish. It would have nine members: four residents drawn by lot from "
                        "volunteers, two traders' representatives, one youth representative, "
                        "one council member and an independent chair. The board could pause "
                        "any part of the pilot that causes harm.\n\n"
                        "The pilot would keep as little data as possible. Reporting line "
                        "records would contain no names or phone numbers and would be deleted "
                        "after 12 months. Liaison officers would keep no lists of "
                        "individuals. Only anonymised, aggregated figures would be shared "
                        "with the National Crime Prevention Agency.\n\n"
                        "Every quarter, the board would publish a short public report, in all "
                        "four languages, on what has been done, what it cost and what has "
                        "changed."
                    ),
                    "fr": (
                        "Un comité de contrôle indépendant suivrait le projet du début à la "
                        "fin. Il compterait neuf membres : quatre habitants tirés au sort "
                        "parmi des volontaires, deux représentants des commerçants, un "
                        "représentant des jeunes, un élu du conseil municipal et une "
                        "présidence indépendante. Le comité pourrait suspendre tout volet du "
                        "projet qui causerait du tort.\n\n"
                        "Le projet conserverait le moins de données possible. Les registres "
                        "de la ligne de signalement ne contiendraient ni noms ni numéros de "
                        "téléphone et seraient supprimés au bout de 12 mois. Les agents de "
                        "liaison ne tiendraient aucune liste de personnes. Seuls des chiffres "
                        "anonymisés et agrégés seraient communiqués à l'Agence nationale de "
                        "prévention de la criminalité.\n\n"
                        "Chaque trimestre, le comité publierait un bref rapport public, dans "
                        "les quatre langues, sur ce qui a été fait, ce que cela a coûté et ce "
                        "qui a changé."
                    ),
                    "es": (
                        "Un consejo de supervisión independiente seguiría el programa de "
                        "principio a fin. Tendría nueve miembros: cuatro vecinos elegidos por "
                        "sorteo entre voluntarios, dos representantes de los comerciantes, un "
                        "representante de los jóvenes, un concejal y una presidencia "
                        "independiente. El consejo podría suspender cualquier parte del "
                        "programa que cause daño.\n\n"
                        "El programa guardaría el mínimo de datos posible. Los registros de "
                        "la línea de denuncia no contendrían nombres ni números de teléfono y "
                        "se borrarían a los 12 meses. Los agentes de enlace no llevarían "
                        "listas de personas. Solo se compartirían cifras anonimizadas y "
                        "agregadas con la Agencia Nacional de Prevención del Delito.\n\n"
                        "Cada trimestre, el consejo publicaría un breve informe público, en "
                        "los cuatro idiomas, sobre lo que se ha hecho, cuánto ha costado y "
                        "qué ha cambiado."
                    ),
                    "ar": (
                        "سيتابع مجلس رقابة مستقل المشروع من بدايته إلى نهايته. ويتألف المجلس "
                        "من تسعة أعضاء: أربعة من السكان يُختارون بالقرعة من بين المتطوعين، "
                        "وممثلَين اثنين عن التجار، وممثل عن الشباب، وعضو في المجلس البلدي، "
                        "ورئيس مستقل. ويحق للمجلس تعليق أي جزء من المشروع يُلحق ضررًا بالناس.\n\n"
                        "وسيحتفظ المشروع بأقل قدر ممكن من البيانات، فلن تتضمن سجلات خط "
                        "الإبلاغ أي أسماء أو أرقام هواتف، وستُحذف بعد اثني عشر شهرًا. ولن "
                        "يحتفظ مسؤولو التواصل بأي قوائم بأسماء أفراد. ولن يُقدَّم إلى الوكالة "
                        "الوطنية لمنع الجريمة سوى أرقام إجمالية لا تكشف هوية أحد.\n\n"
                        "وسينشر المجلس كل ثلاثة أشهر تقريرًا علنيًا موجزًا باللغات الأربع، "
                        "يبيّن ما أُنجز وما كلّفه وما تغيّر."
                    ),
                },
            },
        ],
    },
    # Closed, pre-moderated, French by default; complete in its three languages.
    {
        "slug": "youth-jobs-harbour",
        "host": "port-amani-council",
        "partners": ["coastal-voices", "crime-prevention-agency"],
        "state": "closed",
        "opens_in_days": -90,
        "closes_in_days": -10,
        "moderation_mode": "pre",
        "participation_mode": "anonymous",
        "default_language": "fr",
        "languages": ["fr", "en", "ar"],
        "texts": {
            "title": {
                "fr": "Apprentissages au port pour les jeunes",
                "en": "Harbour apprenticeships for young people",
                "ar": "تدريب مهني للشباب في الميناء",
            },
            "summary": {
                "fr": (
                    "Le conseil municipal propose de créer chaque année au port 40 "
                    "apprentissages rémunérés pour les jeunes de 16 à 24 ans. Comment les "
                    "rendre accessibles et sûrs ?"
                ),
                "en": (
                    "The town council proposes 40 paid harbour apprenticeships a year for "
                    "young people aged 16 to 24. How can we make them accessible and safe?"
                ),
                "ar": (
                    "يقترح المجلس البلدي توفير أربعين فرصة تدريب مهني مدفوعة الأجر سنويًا في "
                    "الميناء للشباب الذين تتراوح أعمارهم بين 16 و24 عامًا. كيف نجعلها متاحة "
                    "وآمنة؟"
                ),
            },
            "body": {
                "fr": (
                    "Le conseil municipal de Port Amani, avec Coastal Voices Network et "
                    "l'Agence nationale de prévention de la criminalité, propose un programme "
                    "d'apprentissage au port destiné aux jeunes de 16 à 24 ans. L'objectif "
                    "est d'offrir un vrai métier et un revenu stable aux jeunes que les "
                    "réseaux de contrebande cherchent à recruter.\n\n"
                    "Les apprentissages dureraient deux ans, associeraient le travail sur les "
                    "quais et des cours au centre de formation, et seraient rémunérés dès le "
                    "premier mois. Une partie des places serait réservée aux jeunes sortis de "
                    "l'école sans diplôme.\n\n"
                    "Cette consultation est désormais close. Les commentaires ont été modérés "
                    "avant leur publication. Une synthèse des contributions et la réponse du "
                    "conseil seront publiées ici."
                ),
                "en": (
                    "Port Amani Town Council, with Coastal Voices Network and the National "
                    "Crime Prevention Agency, proposes a harbour apprenticeship programme for "
                    "young people aged 16 to 24. The aim is to offer a real trade and a "
                    "steady income to the young people whom smuggling networks try to "
                    "recruit.\n\n"
                    "Apprenticeships would last two years, combine work on the quays with "
                    "classes at the training centre, and be paid from the first month. Some "
                    "places would be reserved for young people who left school without "
                    "qualifications.\n\n"
                    "This consultation is now closed. Comments were moderated before "
                    "publication. A summary of the responses and the council's reply will be "
                    "published here."
                ),
                "ar": (
                    "يقترح المجلس البلدي لبورت أماني، بالتعاون مع شبكة أصوات الساحل والوكالة "
                    "الوطنية لمنع الجريمة، برنامجًا للتدريب المهني في الميناء موجّهًا إلى "
                    "الشباب الذين تتراوح أعمارهم بين 16 و24 عامًا. ويهدف البرنامج إلى توفير "
                    "مهنة حقيقية ودخل ثابت للشباب الذين تسعى شبكات التهريب إلى تجنيدهم.\n\n"
                    "وسيمتد التدريب عامين، يجمع فيهما المتدربون بين العمل على الأرصفة والدروس "
                    "في مركز التدريب، ويتقاضون أجرًا منذ الشهر الأول. وستُخصَّص بعض المقاعد "
                    "للشباب الذين غادروا المدرسة دون شهادة.\n\n"
                    "أُغلقت هذه الاستشارة. وقد خضعت التعليقات للمراجعة قبل نشرها. وسيُنشر هنا "
                    "ملخص للمشاركات وردّ المجلس عليها."
                ),
            },
        },
        "sections": [
            {
                "title": {
                    "fr": "Qui pourrait postuler, et comment",
                    "en": "Who could apply, and how",
                    "ar": "من يحق له التقدم، وكيف؟",
                },
                "body": {
                    "fr": (
                        "Le programme serait ouvert à tous les jeunes de 16 à 24 ans qui "
                        "vivent à Port Amani ou dans les villages voisins, quelle que soit "
                        "leur nationalité. Aucun extrait de casier judiciaire ne serait exigé "
                        ": un jeune qui a été impliqué dans la contrebande doit pouvoir "
                        "tourner la page.\n\n"
                        "Les candidatures pourraient se faire en personne aux points de "
                        "passage sûrs, au centre de jeunesse ou par téléphone, avec l'aide "
                        "d'un animateur si nécessaire. Les places seraient attribuées par une "
                        "commission réunissant un employeur du port, un représentant du "
                        "conseil et un représentant de Coastal Voices Network.\n\n"
                        "Ces conditions vous semblent-elles justes ? Certains jeunes "
                        "risquent-ils d'être laissés de côté ?"
                    ),
                    "en": (
                        "The programme would be open to all young people aged 16 to 24 who "
                        "live in Port Amani or the surrounding villages, whatever their "
                        "nationality. No criminal record check would be required: a young "
                        "person who has been involved in smuggling should be able to make a "
                        "fresh start.\n\n"
                        "Applications could be made in person at the safe transit points, at "
                        "the youth centre or by telephone, with help from an outreach worker "
                        "if needed. Places would be allocated by a panel made up of a harbour "
                        "employer, a council representative and a representative of Coastal "
                        "Voices Network.\n\n"
                        "Do these conditions seem fair to you? Are some young people at risk "
                        "of being left out?"
                    ),
                    "ar": (
                        "سيكون البرنامج مفتوحًا أمام جميع الشباب الذين تتراوح أعمارهم بين 16 "
                        "و24 عامًا ويقيمون في بورت أماني أو القرى المجاورة، أيًّا كانت "
                        "جنسيتهم. ولن تُشترط صحيفة سوابق خالية، إذ ينبغي أن يتمكن الشاب الذي "
                        "تورط في التهريب من أن يبدأ صفحة جديدة.\n\n"
                        "ويمكن تقديم الطلبات شخصيًا في نقاط العبور الآمنة أو في مركز الشباب "
                        "أو عبر الهاتف، بمساعدة أحد العاملين الميدانيين عند الحاجة. وستتولى "
                        "توزيع المقاعد لجنة تضم أحد أصحاب العمل في الميناء وممثلًا عن المجلس "
                        "البلدي وممثلًا عن شبكة أصوات الساحل.\n\n"
                        "هل تبدو لكم هذه الشروط عادلة؟ وهل يُخشى أن يُستبعد بعض الشباب؟"
                    ),
                },
            },
            {
                "title": {
                    "fr": "Sécurité et accompagnement des apprentis",
                    "en": "Keeping apprentices safe and supported",
                    "ar": "حماية المتدربين ودعمهم",
                },
                "body": {
                    "fr": (
                        "Le port est aussi un lieu où opèrent les réseaux de contrebande. "
                        "Chaque apprenti aurait donc un tuteur attitré et pourrait joindre à "
                        "tout moment la ligne de signalement confidentielle. Aucun apprenti "
                        "ne travaillerait seul la nuit ni ne serait affecté au contrôle des "
                        "marchandises.\n\n"
                        "Les employeurs signeraient une charte les engageant à payer les "
                        "apprentis dans les délais, à respecter les horaires légaux et à ne "
                        "jamais leur demander de transporter des colis en dehors de leurs "
                        "tâches habituelles. Tout employeur qui ne respecterait pas la charte "
                        "serait exclu du programme.\n\n"
                        "Dites-nous ce qui aiderait encore les apprentis à se sentir en "
                        "sécurité, au travail comme sur le chemin du retour."
                    ),
                    "en": (
                        "The harbour is also a place where smuggling networks operate. Each "
                        "apprentice would therefore have a named mentor and could call the "
                        "confidential reporting line at any time. No apprentice would work "
                        "alone at night or be assigned to checking cargo.\n\n"
                        "Employers would sign a charter committing them to pay apprentices on "
                        "time, respect legal working hours and never ask them to carry "
                        "packages outside their normal duties. Any employer who breaks the "
                        "charter would be removed from the programme.\n\n"
                        "Tell us what else would help apprentices feel safe, at work and on "
                        "the way home."
                    ),
                    "ar": (
                        "الميناء أيضًا مكان تنشط فيه شبكات التهريب. لذلك سيكون لكل متدرب مرشد "
                        "محدد، ويمكنه الاتصال بخط الإبلاغ السري في أي وقت. ولن يعمل أي متدرب "
                        "بمفرده ليلًا، ولن يُكلَّف بتفتيش البضائع.\n\n"
                        "وسيوقّع أصحاب العمل ميثاقًا يلتزمون فيه بدفع أجور المتدربين في "
                        "مواعيدها، واحترام ساعات العمل القانونية، وعدم مطالبتهم أبدًا بنقل "
                        "طرود خارج نطاق مهامهم المعتادة. وسيُستبعد من البرنامج كل صاحب عمل "
                        "يخالف الميثاق.\n\n"
                        "أخبرونا بما قد يساعد المتدربين أيضًا على الشعور بالأمان، في العمل "
                        "وفي طريق العودة إلى منازلهم."
                    ),
                },
            },
        ],
    },
    # Draft, deliberately incomplete: Spanish has only the title and summary (shows the fallback).
    {
        "slug": "border-market-lighting",
        "host": "coastal-voices",
        "partners": [],
        "state": "draft",
        "opens_in_days": 7,
        "closes_in_days": 60,
        "moderation_mode": "post",
        "participation_mode": "anonymous",
        "default_language": "en",
        "languages": ["en", "es"],
        "texts": {
            "title": {
                "en": "Lighting and safe routes for the border market",
                "es": "Iluminación y rutas seguras para el mercado fronterizo",
            },
            "summary": {
                "en": (
                    "Proposals for street lighting, clear signs and staffed safe routes "
                    "between the border market, the bus station and the port, for traders who "
                    "travel early and late."
                ),
                "es": (
                    "Propuestas de alumbrado público, señalización clara y rutas seguras con "
                    "presencia de personal entre el mercado fronterizo, la estación de "
                    "autobuses y el puerto, para los comerciantes que se desplazan de "
                    "madrugada o de noche."
                ),
            },
            "body": {
                "en": (
                    "Traders at the border market start setting up before dawn and often pack "
                    "up after dark. Many walk between the market, the bus station and the "
                    "port carrying cash and goods, along poorly lit streets where several "
                    "robberies and threats have been reported.\n\n"
                    "Coastal Voices Network is preparing a proposal for solar street lights, "
                    "clear signs and three marked safe routes, with liaison officers present "
                    "at the busiest times. This draft will be opened for comment once the "
                    "route maps are ready."
                ),
            },
        },
        "sections": [
            {
                "title": {
                    "en": "Proposed routes and lighting",
                },
                "body": {
                    "en": (
                        "Three routes are under study: from the north gate of the market to "
                        "the bus station along the old customs road; from the market to the "
                        "ferry terminal along the seafront; and from the market to the taxi "
                        "rank on the coast road. Each would have solar lighting every 25 "
                        "metres and signs in four languages.\n\n"
                        "Before publishing, we are walking each route at night with traders, "
                        "young people and residents to note dark corners, blocked pavements "
                        "and places where people feel unsafe. Their observations will be "
                        "added to the maps."
                    ),
                },
            },
        ],
    },
]
